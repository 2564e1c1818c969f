import type { StoreConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { KvStore } from './kv.js';

/** etcd when `ETCD_ENDPOINTS` is set, otherwise the embedded store under `DATA_DIR`. */
export async function openStore(config: StoreConfig, logger: Logger): Promise<KvStore> {
  const log = logger.child({ component: 'store' });
  // Loaded on demand: etcd3 and its protobuf definitions cost ~20 MiB of heap a default start never uses.
  if (config.kind === 'etcd') {
    const { openEtcdKv } = await import('./etcd/etcd-kv.js');
    return openEtcdKv({ endpoints: config.endpoints, prefix: config.prefix, logger: log });
  }
  const { openEmbeddedKv } = await import('./embedded/embedded-kv.js');
  return openEmbeddedKv({ dir: config.dir, logger: log });
}
