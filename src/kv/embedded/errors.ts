import { KvError } from '../kv.js';

/** The data directory holds damaged files; starting would lose or invent data. */
export class StoreCorruptedError extends KvError {
  override name = 'StoreCorruptedError';
}

/** Another live process (or another instance in this process) has the data directory open. */
export class StoreLockedError extends KvError {
  override name = 'StoreLockedError';
}
