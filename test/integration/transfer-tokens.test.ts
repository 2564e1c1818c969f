import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferTokens } from '../../src/domain/transfers/transfer-tokens.js';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { TransferTokenRecords } from '../../src/records/transfer-token-records.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

/** A clock the test moves by hand: expiry is decided against it, never against the wall. */
function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

const SETTINGS = { ttlSeconds: 120, extendSeconds: 60 };

describe.each(SEAT_BACKENDS.filter((b) => b.run))('transfer tokens on $kind', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
  });
  afterAll(() => backend?.dispose());

  const tokens = (clock = manualClock(), on: KvStore = store) =>
    new TransferTokens(new TransferTokenRecords(on), SETTINGS, { now: clock.now });

  it('answers the subject for a fresh token, and extends its expiry from the use', async () => {
    const clock = manualClock();
    const service = tokens(clock);
    const issued = await service.issue('DOWNLOAD', 'cam/1.0.0', { issuer: { id: 'alice', role: 'viewer' } });
    expect(issued.expiresAt.getTime()).toBe(clock.now() + 120_000);

    clock.advance(100);
    const use = await service.use(issued.token, 'DOWNLOAD');
    expect(use).toEqual({
      subject: 'cam/1.0.0',
      issuer: { id: 'alice', role: 'viewer' },
      expiresAt: new Date(clock.now() + 60_000),
    });
    // Past the first TTL, but within the extension the use gave it.
    clock.advance(50);
    expect((await service.use(issued.token, 'DOWNLOAD'))?.subject).toBe('cam/1.0.0');
    clock.advance(61);
    expect(await service.use(issued.token, 'DOWNLOAD')).toBeUndefined();
  });

  it('never shortens a long TTL: expiresAt = max(expiresAt, now + extend)', async () => {
    const clock = manualClock();
    const service = tokens(clock);
    const issued = await service.issue('DOWNLOAD', 'cam/1.0.0', { ttlSeconds: 3600 });
    clock.advance(10);
    expect((await service.use(issued.token, 'DOWNLOAD'))?.expiresAt).toEqual(issued.expiresAt);
  });

  it('refuses a token not used within its TTL of creation', async () => {
    const clock = manualClock();
    const service = tokens(clock);
    const issued = await service.issue('UPLOAD', 'session-1');
    clock.advance(120);
    expect(await service.use(issued.token, 'UPLOAD')).toBeUndefined();
  });

  it('refuses forged, altered, unknown and other-kind tokens', async () => {
    const service = tokens();
    const issued = await service.issue('UPLOAD', 'session-2');
    const [id = '', mac = ''] = issued.token.split('.');
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    expect(await service.use(`${id}.${flipped}`, 'UPLOAD')).toBeUndefined();
    expect(await service.use(`${'A'.repeat(22)}.${mac}`, 'UPLOAD')).toBeUndefined();
    expect(await service.use(issued.token, 'DOWNLOAD')).toBeUndefined();
    expect(await service.use('', 'UPLOAD')).toBeUndefined();
    expect(await service.use(`${issued.token}x`, 'UPLOAD')).toBeUndefined();
    // A token whose record is gone (revoked, swept) is unknown even with a valid MAC.
    await store.delete(keys.transferToken(id));
    expect(await service.use(issued.token, 'UPLOAD')).toBeUndefined();
  });

  it('shares one signing key between replicas, so any replica serves any token', async () => {
    const clock = manualClock();
    const replica = await backend.openReplicaOf(store);
    const [a, b] = [tokens(clock), tokens(clock, replica)];
    // Both create the key at once: each must end up with the one the store kept.
    const [fromA, fromB] = await Promise.all([a.issue('UPLOAD', 's-a'), b.issue('UPLOAD', 's-b')]);
    expect((await b.use(fromA.token, 'UPLOAD'))?.subject).toBe('s-a');
    expect((await a.use(fromB.token, 'UPLOAD'))?.subject).toBe('s-b');
    // A service with another key (another deployment) cannot verify them.
    await store.put(keys.transferTokenKey, Buffer.alloc(32, 7).toString('base64'));
    expect(await tokens(clock).use(fromA.token, 'UPLOAD')).toBeUndefined();
    await store.delete(keys.transferTokenKey);
  });

  it('revokes every token of a subject and leaves the others', async () => {
    const service = tokens();
    const [one, two, other] = await Promise.all([
      service.issue('UPLOAD', 'session/with/slashes'),
      service.issue('UPLOAD', 'session/with/slashes'),
      service.issue('UPLOAD', 'session/with'),
    ]);
    await service.revokeSubject('UPLOAD', 'session/with/slashes');
    expect(await service.use(one.token, 'UPLOAD')).toBeUndefined();
    expect(await service.use(two.token, 'UPLOAD')).toBeUndefined();
    expect((await service.use(other.token, 'UPLOAD'))?.subject).toBe('session/with');
    const index = await store.range(keys.transferTokensOfSubject('UPLOAD', 'session/with/slashes'));
    expect(index.count).toBe(0);
  });

  it('sweeps expired records with their index entries and keeps live ones', async () => {
    const clock = manualClock(Date.parse('2027-01-01T00:00:00Z'));
    const service = tokens(clock);
    await service.sweep(); // what earlier cases left, so the counts below are this case's own
    const old = await service.issue('DOWNLOAD', 'old/1.0.0', { ttlSeconds: 10 });
    const live = await service.issue('DOWNLOAD', 'live/1.0.0', { ttlSeconds: 3600 });
    clock.advance(11);
    expect(await service.sweep()).toBeGreaterThanOrEqual(1);
    const [oldId = ''] = old.token.split('.');
    expect(await store.get(keys.transferToken(oldId))).toBeUndefined();
    expect((await store.range(keys.transferTokensOfSubject('DOWNLOAD', 'old/1.0.0'))).count).toBe(0);
    expect((await service.use(live.token, 'DOWNLOAD'))?.subject).toBe('live/1.0.0');
  });

  it('extends once per use when uses race (parallel ranged requests)', async () => {
    const clock = manualClock();
    const service = tokens(clock);
    const issued = await service.issue('DOWNLOAD', 'race/1.0.0', { ttlSeconds: 5 });
    clock.advance(1);
    const uses = await Promise.all(Array.from({ length: 8 }, () => service.use(issued.token, 'DOWNLOAD')));
    expect(uses.every((u) => u?.expiresAt.getTime() === clock.now() + 60_000)).toBe(true);
  });
});
