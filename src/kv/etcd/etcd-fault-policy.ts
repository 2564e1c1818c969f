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
 * "recently failed" mark instead of a breaker (`EndpointHealth`).
 */

type FaultPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** How long an endpoint that refused or timed out is skipped while others remain. */
export const ENDPOINT_SKIP_MS = 500;
/** How long a member that let a call run out its deadline is avoided at first, while another answers. */
export const HUNG_AVOID_MS = 5000;
/** The longest it is avoided: the wait doubles each time its probe call times out too. */
export const HUNG_AVOID_MAX_MS = 60_000;

export const PASS_THROUGH: FaultPolicy = {
  _altReturn: undefined as never,
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
  execute: async (fn, signal) => fn({ signal: signal ?? new AbortController().signal }),
};

interface EndpointState {
  /** Skipped until then, even when no other endpoint is left (the call then fails at once). */
  skipUntil: number;
  lastFailure: string;
  /** 0, or how long the endpoint is avoided since it last let a call time out. */
  hungMs: number;
  hungUntil: number;
  /** A call went through to find out whether it answers again; others avoid it meanwhile. */
  probing: boolean;
}

/**
 * The endpoints of one client, judged together. etcd3 picks a random endpoint per call; a policy
 * that throws without calling through makes it move on to the next endpoint within the same call,
 * and when every endpoint throws, the call fails with EndpointDownError, which was never sent and
 * so may be retried even for writes.
 *
 * - An endpoint that just refused a connection or let a call time out is skipped for
 *   ENDPOINT_SKIP_MS: with etcd down, calls fail within milliseconds instead of queueing.
 * - A member that let a call run out its deadline may be hung (frozen, overloaded, cut off behind a
 *   live socket): every call sent to it waits the whole deadline. While another endpoint answers, it
 *   is avoided for HUNG_AVOID_MS, doubling up to HUNG_AVOID_MAX_MS, and then sent one call at a
 *   time until one is answered. Without this, one frozen member of three failed a call of every
 *   writer about every 5.5 s (the deadline plus the short skip), for as long as it stayed frozen.
 *   With one endpoint (or all of them hung) nothing is avoided: there is nowhere else to go.
 */
export class EndpointHealth {
  private readonly states = new Map<string, EndpointState>();

  /** etcd3's `faultHandling.host`: called once per endpoint when the client is built. */
  readonly policy = (endpoint: string): FaultPolicy => {
    const state: EndpointState = { skipUntil: 0, lastFailure: '', hungMs: 0, hungUntil: 0, probing: false };
    this.states.set(endpoint, state);
    return { ...PASS_THROUGH, execute: (fn, signal) => this.execute(endpoint, state, fn, signal) };
  };

  private async execute<T>(
    endpoint: string,
    state: EndpointState,
    fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const now = Date.now();
    if (now < state.skipUntil) {
      throw new EndpointDownError(`etcd endpoint ${endpoint} is failing: ${state.lastFailure}`);
    }
    if (avoided(state, now) && this.anotherUsable(state, now)) {
      throw new EndpointDownError(`etcd endpoint ${endpoint} let a call time out: ${state.lastFailure}`);
    }
    const probe = state.hungMs > 0;
    if (probe) state.probing = true;
    try {
      const result = await fn({ signal: signal ?? new AbortController().signal });
      // A stream is returned before the member has said anything: no sign that it answers.
      if (!isStream(result)) state.hungMs = 0;
      return result;
    } catch (error) {
      if (isNeverSent(error) || error instanceof GRPCDeadlineExceededError) {
        state.skipUntil = Date.now() + ENDPOINT_SKIP_MS;
        state.lastFailure = etcdMessage(error as Error);
      }
      if (error instanceof GRPCDeadlineExceededError) {
        state.hungMs = Math.min(Math.max(HUNG_AVOID_MS, state.hungMs * 2), HUNG_AVOID_MAX_MS);
        state.hungUntil = Date.now() + state.hungMs;
      }
      throw error;
    } finally {
      if (probe) state.probing = false;
    }
  }

  /** Whether a call avoiding `state`'s endpoint has another endpoint to go to. */
  private anotherUsable(state: EndpointState, now: number): boolean {
    for (const other of this.states.values()) {
      if (other !== state && now >= other.skipUntil && !avoided(other, now)) return true;
    }
    return false;
  }
}

function avoided(state: EndpointState, now: number): boolean {
  return state.hungMs > 0 && (now < state.hungUntil || state.probing);
}

function isStream(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function'
  );
}
