import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { encodeSegmentRecord, type SegmentRecord } from '../../src/records/segment-schema.js';

/** A valid, freshly uploaded record for `<name>/<version>`, as the store holds it. */
export function segmentRecord(id: string, overrides: Partial<SegmentRecord> = {}): SegmentRecord {
  const [name = '', version = ''] = id.split('/');
  return {
    instanceId: `instance-${id}`,
    name,
    version,
    format: 'ZIP',
    target: 'DEPLOY_PLATFORM',
    fileName: `${name}-${version}.zip`,
    size: 10,
    sha256: '0'.repeat(64),
    metadata: {},
    isLocal: true,
    createdAt: '2024-05-01T12:00:00.000Z',
    sync: { status: 'PENDING', attempts: 0 },
    deleteStatus: 'NONE',
    ...overrides,
  };
}

/** Writes records straight into the store (as another replica or an earlier run would have), 100 per transaction. */
export async function putSegmentRecords(store: KvStore, records: readonly SegmentRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 100) {
    await store.txn({
      compare: [],
      success: records.slice(i, i + 100).map((record) => ({
        type: 'put' as const,
        key: keys.segment(`${record.name}/${record.version}`),
        value: encodeSegmentRecord(record),
      })),
    });
  }
}
