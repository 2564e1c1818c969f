import type { History } from './history.js';
import type { KvState } from './kv-state.js';
import type { LogRecord } from './records.js';
import { compareKeys } from './sorted-keys.js';

/**
 * Removes a lease and deletes its keys as one revision, in key order. A lease without keys goes
 * without using a revision, as in etcd. Revoking a lease that is already gone does nothing.
 */
export function revokeLease(
  state: KvState,
  history: History,
  id: string,
): { result: undefined; records: LogRecord[] } {
  const lease = state.leases.get(id);
  if (!lease) return { result: undefined, records: [] };
  const keys = [...lease.keys].sort(compareKeys);
  state.leases.delete(id);
  if (keys.length === 0) return { result: undefined, records: [{ t: 'revoke', lease: id }] };
  const rev = state.revision + 1;
  const events = keys.flatMap((key) => state.delete(key, rev) ?? []);
  state.revision = rev;
  history.append({ revision: rev, events });
  const changes = keys.map((key) => ({ type: 'delete' as const, key }));
  return { result: undefined, records: [{ t: 'txn', rev, changes, revokedLease: id }] };
}
