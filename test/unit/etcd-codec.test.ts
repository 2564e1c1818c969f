import { GRPCUnavailableError } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { toStoreError } from '../../src/kv/etcd/etcd-codec.js';
import { StoreUnavailableError } from '../../src/kv/kv.js';

describe('toStoreError', () => {
  // Regression (#22.5): on today's main `/readyz` showed this message verbatim, ending in an empty
  // "Resolution note:".
  it('drops the empty "Resolution note:" grpc-js appends to a connection failure', () => {
    const raw = new GRPCUnavailableError(
      '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2379. Resolution note: ',
    );
    const error = toStoreError(raw, 'ping');
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toBe(
      'etcd ping: 14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2379',
    );
  });

  it('keeps a resolution note that says something', () => {
    const raw = new GRPCUnavailableError(
      '14 UNAVAILABLE: No addresses resolved. Resolution note: DNS failed',
    );
    expect(toStoreError(raw, 'get').message).toBe(
      'etcd get: 14 UNAVAILABLE: No addresses resolved. Resolution note: DNS failed',
    );
  });
});
