import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { initKeyspace, KEYSPACE_VERSION, KeyspaceVersionError, keys } from '../../src/records/keyspace.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

describe.each(SEAT_BACKENDS.filter((b) => b.run))('the keyspace marker on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  const now = () => new Date('2026-12-07T12:00:00.000Z');

  beforeAll(async () => {
    backend = await startBackend(kind);
  }, 60_000);
  afterAll(async () => {
    await backend?.dispose();
  });

  it('is created on a new store and left alone on the next start', async () => {
    store = await backend.openStore();
    expect(await initKeyspace(store, now)).toMatchObject({ version: KEYSPACE_VERSION, created: true });
    const written = (await store.get(keys.keyspace))!;
    expect(await initKeyspace(store, now)).toMatchObject({ created: false });
    expect((await store.get(keys.keyspace))?.modRevision).toBe(written.modRevision);
  });

  it('raises a v1 store to this layout once, keeping when it was made (D2 chunks)', async () => {
    store = await backend.openStore();
    await store.put(keys.keyspace, JSON.stringify({ version: 1, createdAt: '2026-01-01T00:00:00.000Z' }));
    expect(await initKeyspace(store, now)).toMatchObject({ version: 2, upgradedFrom: 1, created: false });
    const raised = (await store.get(keys.keyspace))!;
    expect(JSON.parse(raised.value)).toEqual({
      version: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      upgradedAt: '2026-12-07T12:00:00.000Z',
    });
    expect(await initKeyspace(store, now)).not.toHaveProperty('upgradedFrom');
    expect((await store.get(keys.keyspace))?.modRevision).toBe(raised.modRevision);
  });

  it('refuses a store written by a newer seghub and leaves it as it is', async () => {
    store = await backend.openStore();
    const newer = JSON.stringify({ version: KEYSPACE_VERSION + 1, createdAt: '2027-01-01T00:00:00.000Z' });
    await store.put(keys.keyspace, newer);
    await expect(initKeyspace(store, now)).rejects.toBeInstanceOf(KeyspaceVersionError);
    expect((await store.get(keys.keyspace))?.value).toBe(newer);
  });
});
