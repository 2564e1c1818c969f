import type { StoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { openEmbeddedKv } from './embedded/embedded-kv.js';
import { openEtcdKv } from './etcd-kv.js';
import type { KvStore } from './kv.js';

/** etcd when `ETCD_ENDPOINTS` is set, otherwise the embedded store under `DATA_DIR`. */
export function openStore(config: StoreConfig, logger: Logger): Promise<KvStore> {
  const log = logger.child({ component: 'store' });
  return config.kind === 'etcd'
    ? openEtcdKv({ endpoints: config.endpoints, prefix: config.prefix, logger: log })
    : openEmbeddedKv({ dir: config.dir, logger: log });
}
