import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { SDP_TARGETS } from '../model/targets.js';
import { initKeyspace, KeyspaceVersionError } from '../records/keyspace.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import type { ReadinessProbe } from '../server/health.js';
import { retryUntilDone } from '../util/backoff.js';

interface KeyspaceState {
  done: boolean;
  failure?: Error;
}

/**
 * Initialises (or checks) the keyspace, retrying in the background: an unreachable etcd at
 * start-up makes seghub unready, not dead. The returned probe reports the store's state on `/readyz`.
 */
export function storeReadiness(store: KvStore, signal: AbortSignal, log: Logger): ReadinessProbe {
  const keyspace = bootstrapKeyspace(store, signal, log);
  return {
    name: 'store',
    async check() {
      const { revision } = await store.ping(1000);
      if (keyspace.failure) throw keyspace.failure;
      if (!keyspace.done) throw new Error('keyspace not initialised yet');
      return { kind: store.kind, revision };
    },
  };
}

function bootstrapKeyspace(store: KvStore, signal: AbortSignal, log: Logger): KeyspaceState {
  const state: KeyspaceState = { done: false };
  retryUntilDone(() => initKeyspace(store), {
    baseMs: 250,
    maxMs: 10_000,
    signal,
    isPermanent: (err) => err instanceof KeyspaceVersionError,
    onError: (err, attempt, nextDelayMs) =>
      log.warn({ err, attempt, nextDelayMs }, 'store not ready; will retry keyspace initialisation'),
  }).then(
    (info) => {
      state.done = true;
      log.info({ keyspace: info }, info.created ? 'initialised a new store' : 'opened an existing store');
    },
    (err) => {
      if (signal.aborted) return;
      state.failure = err instanceof Error ? err : new Error(String(err));
      log.fatal({ err }, 'cannot use this store; seghub stays unready');
    },
  );
  return state;
}

/** `/readyz` checks: each platform answers its health check with SERVING. */
export function sdpReadiness(clients: SdpClients): ReadinessProbe[] {
  return SDP_TARGETS.map((target) => ({
    name: `sdp:${target}`,
    async check() {
      const client = clients[target];
      const status = await client.checkHealth({ signal: AbortSignal.timeout(1000) });
      if (status !== 'SERVING') throw new Error(`health check says ${status}`);
      return { address: client.address };
    },
  }));
}
