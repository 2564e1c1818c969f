import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  isPermanentSdpError,
  SdpAlreadyExistsError,
  SdpFailedPreconditionError,
  SdpNotFoundError,
  SdpRejectedError,
  SdpUnavailableError,
  toSdpError,
} from '../../src/sdp/errors.js';

function grpcError(code: status, details = 'details') {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: undefined });
}

describe('toSdpError', () => {
  const table: [keyof typeof status, new (...args: never[]) => Error, boolean][] = [
    ['UNAVAILABLE', SdpUnavailableError, true],
    ['DEADLINE_EXCEEDED', SdpUnavailableError, true],
    ['RESOURCE_EXHAUSTED', SdpUnavailableError, true],
    ['ABORTED', SdpUnavailableError, true],
    ['INTERNAL', SdpUnavailableError, true],
    ['UNKNOWN', SdpUnavailableError, true],
    ['CANCELLED', SdpUnavailableError, true],
    ['DATA_LOSS', SdpUnavailableError, true],
    ['NOT_FOUND', SdpNotFoundError, false],
    ['ALREADY_EXISTS', SdpAlreadyExistsError, false],
    ['FAILED_PRECONDITION', SdpFailedPreconditionError, false],
    ['INVALID_ARGUMENT', SdpRejectedError, false],
    ['OUT_OF_RANGE', SdpRejectedError, false],
    ['UNIMPLEMENTED', SdpRejectedError, false],
    ['PERMISSION_DENIED', SdpRejectedError, false],
    ['UNAUTHENTICATED', SdpRejectedError, false],
  ];

  it.each(table)('maps %s to its class and says whether a retry can help', (name, kind, retryable) => {
    const mapped = toSdpError(grpcError(status[name], 'the reason'), 'STORE_15S', 'GetTask');
    expect(mapped).toBeInstanceOf(kind);
    expect(mapped).toMatchObject({ retryable, grpcCode: name, target: 'STORE_15S', method: 'GetTask' });
    expect((mapped as Error).message).toBe('STORE_15S GetTask: the reason');
    expect(isPermanentSdpError(mapped)).toBe(!retryable);
  });

  it('covers every gRPC status but OK', () => {
    const names = Object.keys(status).filter((k) => Number.isNaN(Number(k)) && k !== 'OK');
    expect(table.map(([name]) => name).sort()).toEqual(names.sort());
  });

  it('passes through what is not a gRPC failure, such as a caller abort', () => {
    const abort = new Error('shutting down');
    expect(toSdpError(abort, 'DEPLOY_PLATFORM', 'ListSegments')).toBe(abort);
    expect(isPermanentSdpError(abort)).toBe(false);
  });
});
