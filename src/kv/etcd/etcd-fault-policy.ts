import { GRPCDeadlineExceededError, type IOptions } from 'etcd3';
import { EndpointDownError, etcdMessage, isNeverSent } from './etcd-codec.js';

/**
 * The fault-handling policies handed to etcd3, replacing its defaults.
 *
 * etcd3 wraps every call in a retry policy (3 attempts) and a per-host circuit breaker that, after
 * 3 failures, refuses all calls to that host for 5 s. The retries stack deadlines (a call could take
 * 3x its timeout) and re-send writes that may already have been applied; the breaker holds calls
 * back for up to 5 s after etcd has returned. This store applies deadlines and retries itself (see
 * EtcdConnection.call), so the global slot passes straight through, and each host gets a short
 * "recently failed" mark instead of a breaker.
 */

type FaultPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** How long an endpoint that refused or timed out is skipped while others remain. */
export const ENDPOINT_SKIP_MS = 500;

export const PASS_THROUGH: FaultPolicy = {
  _altReturn: undefined as never,
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
  execute: async (fn, signal) => fn({ signal: signal ?? new AbortController().signal }),
};

/**
 * etcd3 picks a random endpoint per call. An endpoint that just refused a connection or let a call
 * time out is skipped for ENDPOINT_SKIP_MS: the policy throws without calling through, and etcd3
 * moves on to the next endpoint within the same call. When every endpoint is skipped, the call
 * fails with EndpointDownError, which was never sent and so may be retried even for writes.
 */
export function endpointHealth(endpoint: string): FaultPolicy {
  let skipUntil = 0;
  let lastFailure = '';
  return {
    ...PASS_THROUGH,
    async execute(fn, signal) {
      if (Date.now() < skipUntil) {
        throw new EndpointDownError(`etcd endpoint ${endpoint} is failing: ${lastFailure}`);
      }
      try {
        return await fn({ signal: signal ?? new AbortController().signal });
      } catch (error) {
        if (isNeverSent(error) || error instanceof GRPCDeadlineExceededError) {
          skipUntil = Date.now() + ENDPOINT_SKIP_MS;
          lastFailure = etcdMessage(error as Error);
        }
        throw error;
      }
    },
  };
}
