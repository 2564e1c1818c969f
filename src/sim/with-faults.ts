import type {
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  sendUnaryData,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import type { FaultInjector, SimMethod } from './faults.js';
import { toServiceError } from './status.js';

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown>;

/** Fires when the caller cancels or its deadline passes, so an injected hang or delay can end. */
function cancellation(call: { on(event: 'cancelled', listener: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort());
  return controller.signal;
}

/**
 * Puts the fault injector in front of every handler of a service, whatever its streaming shape.
 * A handler only runs once the injector lets the call through.
 */
export function withFaults<S extends UntypedServiceImplementation>(
  definition: ServiceDefinition,
  implementation: S,
  faults: FaultInjector,
  log: Logger,
): S {
  const wrapped: UntypedServiceImplementation = {};
  for (const [key, method] of Object.entries(definition)) {
    const name = method.path.slice(method.path.lastIndexOf('/') + 1) as SimMethod;
    const handler = implementation[key] as (...args: unknown[]) => void;
    if (method.responseStream) {
      wrapped[key] = (call: ServerWritableStream<unknown, unknown>) => {
        faults.before(name, cancellation(call)).then(
          () => handler(call),
          (err: unknown) => {
            if (!call.cancelled) call.emit('error', toServiceError(err));
          },
        );
      };
    } else {
      wrapped[key] = (call: AnyCall, callback: sendUnaryData<unknown>) => {
        faults.before(name, cancellation(call)).then(
          () => handler(call, callback),
          (err: unknown) => {
            log.debug({ method: name, err }, 'fault injected');
            if (!call.cancelled) callback(toServiceError(err));
          },
        );
      };
    }
  }
  return wrapped as S;
}
