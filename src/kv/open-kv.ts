import type { Logger } from '../logger.js';
import type { KvStore } from './kv.js';

/** Which store to open: etcd (every key under `prefix`) or the embedded store in `dir`. */
export type StoreSettings =
  | { readonly kind: 'embedded'; readonly dir: string }
  | { readonly kind: 'etcd'; readonly endpoints: readonly string[]; readonly prefix: string };

export async function openStore(config: StoreSettings, logger: Logger): Promise<KvStore> {
  const log = logger.child({ component: 'store' });
  // Loaded on demand: etcd3 and its protobuf definitions cost ~20 MiB of heap a default start never uses.
  if (config.kind === 'etcd') {
    const { openEtcdKv } = await import('./etcd/etcd-kv.js');
    return openEtcdKv({ endpoints: [...config.endpoints], prefix: config.prefix, logger: log });
  }
  const { openEmbeddedKv } = await import('./embedded/embedded-kv.js');
  return openEmbeddedKv({ dir: config.dir, logger: log });
}
