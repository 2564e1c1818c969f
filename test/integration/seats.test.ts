import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { DeleteSeats, ListSeats, SeatNode, UpsertSeats } from '../support/documents/seat-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import {
  type Backend,
  putSegmentSeats,
  SEAT_BACKENDS,
  startBackend,
} from '../support/harness/seat-backends.js';
import { tempDir } from '../support/harness/temp.js';

type SeatInput = { name: string; ip: string };

describe.each(SEAT_BACKENDS.filter((b) => b.run))('seats over GraphQL on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let removeData: () => Promise<void>;

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    const data = await tempDir('seghub-seats-app');
    removeData = data.remove;
    app = await startTestApp(testConfig({ DATA_DIR: data.dir }), { store });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await backend?.dispose();
    await removeData?.();
  });

  beforeEach(async () => {
    for (const prefix of [keys.seats, keys.seatIp(''), keys.segmentSeatsAll])
      await store.deletePrefix(prefix);
  });

  const upsert = async (seats: SeatInput[]) =>
    (await httpGraphQL(app.url, UpsertSeats, { seats })).data!.upsertSeats;
  const upsertOk = async (seats: SeatInput[]) => {
    const result = await upsert(seats);
    if (result.__typename !== 'UpsertSeatsSuccess')
      throw new Error(`upsert refused: ${JSON.stringify(result)}`);
    return result.seats;
  };
  const deleteSeats = async (ids: string[]) =>
    (await httpGraphQL(app.url, DeleteSeats, { ids })).data!.deleteSeats;
  const seatId = (name: string) => encodeGlobalID('Seat', name);
  /** The store itself: every seat as `name → ip`, and the IP index as `canonical ip → name`. */
  const stored = async () => {
    const seats = await store.range(keys.seats);
    const index = await store.range(keys.seatIp(''));
    return {
      seats: Object.fromEntries(
        seats.kvs.map((kv) => [kv.key.slice(keys.seats.length), JSON.parse(kv.value).ip]),
      ),
      index: Object.fromEntries(index.kvs.map((kv) => [kv.key.slice(keys.seatIp('').length), kv.value])),
    };
  };

  it('lists seats in name order, page by page, with totalCount and opaque cursors', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `ws-${String(i).padStart(2, '0')}`);
    await upsertOk([...names].reverse().map((name, i) => ({ name, ip: `10.1.0.${i + 1}` })));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { data } = await httpGraphQL(app.url, ListSeats, { first: 3, after });
      const page = data!.seats;
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      seen.push(...page.edges.map((edge) => edge.node.name));
      for (const { cursor, node } of page.edges) expect(cursor).not.toContain(node.name);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(names);

    const node = await httpGraphQL(app.url, SeatNode, { id: seatId('ws-03') });
    expect(node.data?.node).toEqual({
      __typename: 'Seat',
      id: seatId('ws-03'),
      name: 'ws-03',
      ip: '10.1.0.4',
    });
    const all = await httpGraphQL(app.url, ListSeats, {});
    expect(all.data?.seats.edges).toHaveLength(7);
    for (const bad of [{ first: 501 }, { first: -1 }, { after: 'not-a-cursor' }]) {
      const refused = await httpGraphQL(app.url, ListSeats, bad);
      expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    }
  });

  it('upserts by name: a new IP frees the old one, a respelling keeps it, createdAt stays', async () => {
    const [created] = await upsertOk([{ name: 'console-1', ip: ' 2001:DB8::1 ' }]);
    expect(created).toMatchObject({ name: 'console-1', ip: '2001:DB8::1' });
    expect(await stored()).toEqual({
      seats: { 'console-1': '2001:DB8::1' },
      index: { '2001:db8::1': 'console-1' },
    });

    const [moved] = await upsertOk([{ name: 'console-1', ip: '10.0.0.9' }]);
    expect(moved!.createdAt).toBe(created!.createdAt);
    expect(Date.parse(moved!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created!.updatedAt));
    await upsertOk([{ name: 'console-2', ip: '2001:db8:0:0::1' }]);
    await upsertOk([{ name: 'console-1', ip: '::ffff:10.0.0.9' }]);
    expect(await stored()).toEqual({
      seats: { 'console-1': '::ffff:10.0.0.9', 'console-2': '2001:db8:0:0::1' },
      index: { '10.0.0.9': 'console-1', '2001:db8::1': 'console-2' },
    });
  });

  it('refuses an address another seat holds, in any spelling, and writes nothing of the call', async () => {
    await upsertOk([{ name: 'a', ip: '::1' }]);
    const before = await stored();
    const refused = await upsert([
      { name: 'b', ip: '10.0.0.2' },
      { name: 'c', ip: '0:0::1' },
    ]);
    expect(refused).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      field: 'seats[1].ip',
    });
    expect(refused.__typename === 'InvalidInputError' && refused.message).toMatch(/held by seat a/);
    expect(await stored()).toEqual(before);
  });

  it.each([
    [
      'a name twice',
      [
        { name: 'x', ip: '10.0.0.1' },
        { name: 'x', ip: '10.0.0.2' },
      ],
      'seats[1].name',
    ],
    [
      'an address twice',
      [
        { name: 'x', ip: '::1' },
        { name: 'y', ip: '0::0:1' },
      ],
      'seats[1].ip',
    ],
    ['an upper-case name', [{ name: 'Console', ip: '10.0.0.1' }], 'seats[0].name'],
    ['an empty name', [{ name: '', ip: '10.0.0.1' }], 'seats[0].name'],
    ['a name with a slash', [{ name: 'a/b', ip: '10.0.0.1' }], 'seats[0].name'],
    ['a 64-character name', [{ name: 'a'.repeat(64), ip: '10.0.0.1' }], 'seats[0].name'],
    [
      'a bad octet',
      [
        { name: 'ok', ip: '10.0.0.1' },
        { name: 'x', ip: '10.0.0.256' },
      ],
      'seats[1].ip',
    ],
    ['a zone id', [{ name: 'x', ip: 'fe80::1%eth0' }], 'seats[0].ip'],
    ['a host name', [{ name: 'x', ip: 'localhost' }], 'seats[0].ip'],
    ['an empty address', [{ name: 'x', ip: '  ' }], 'seats[0].ip'],
  ])('refuses %s with INVALID_INPUT naming the field, writing nothing', async (_, seats, field) => {
    expect(await upsert(seats)).toMatchObject({ __typename: 'InvalidInputError', field });
    expect(await stored()).toEqual({ seats: {}, index: {} });
  });

  it('refuses more than 20,000 seats in one call', async () => {
    const seats = Array.from({ length: 20_001 }, (_, i) => ({
      name: `s${i}`,
      ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`,
    }));
    expect(await upsert(seats)).toMatchObject({ __typename: 'InvalidInputError', field: 'seats' });
    expect((await store.range(keys.seats, { limit: 1 })).count).toBe(0);
  });

  it('of concurrent upserts of two seats to one address exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const ip = `10.9.0.${round}`;
      const results = await Promise.all([
        upsert([{ name: `left-${round}`, ip }]),
        upsert([{ name: `right-${round}`, ip: `::ffff:${ip}` }]),
      ]);
      const winners = results.filter((r) => r.__typename === 'UpsertSeatsSuccess');
      expect(winners).toHaveLength(1);
      expect(results.find((r) => r.__typename !== 'UpsertSeatsSuccess')).toMatchObject({
        code: 'INVALID_INPUT',
      });
      const winner = winners[0]!.__typename === 'UpsertSeatsSuccess' ? winners[0]!.seats[0]!.name : '';
      const { seats, index } = await stored();
      expect(index[ip]).toBe(winner);
      expect(Object.keys(seats).filter((name) => name.endsWith(`-${round}`))).toEqual([winner]);
    }
  });

  it('lets seats of one call trade addresses, in a ring that fits one transaction', async () => {
    await upsertOk([
      { name: 'r1', ip: '10.0.0.1' },
      { name: 'r2', ip: '10.0.0.2' },
      { name: 'r3', ip: '10.0.0.3' },
    ]);
    await upsertOk([
      { name: 'r1', ip: '10.0.0.2' },
      { name: 'r2', ip: '10.0.0.3' },
      { name: 'r3', ip: '10.0.0.1' },
    ]);
    expect((await stored()).index).toEqual({ '10.0.0.1': 'r3', '10.0.0.2': 'r1', '10.0.0.3': 'r2' });

    const ring = Array.from({ length: 60 }, (_, i) => ({ name: `big-${i}`, ip: `10.2.0.${i}` }));
    await upsertOk(ring);
    const before = await stored();
    const rotated = ring.map(({ name }, i) => ({ name, ip: ring[(i + 1) % ring.length]!.ip }));
    expect(await upsert(rotated)).toMatchObject({ __typename: 'InvalidInputError', field: 'seats' });
    expect(await stored()).toEqual(before);
  });

  it('deletes seats and their addresses; unknown ids are SEAT_NOT_FOUND and nothing goes', async () => {
    await upsertOk([
      { name: 'd1', ip: '10.0.0.1' },
      { name: 'd2', ip: '10.0.0.2' },
    ]);
    const lockBefore = (await store.get(keys.seatBindingsLock))?.modRevision ?? 0;
    const unknown = await deleteSeats([seatId('d1'), seatId('ghost'), 'garbage']);
    expect(unknown).toMatchObject({ __typename: 'SeatNotFoundError', code: 'SEAT_NOT_FOUND' });
    expect(unknown.__typename === 'SeatNotFoundError' && unknown.seatIds).toEqual(['garbage']);
    const ghost = await deleteSeats([seatId('d1'), seatId('ghost')]);
    expect(ghost.__typename === 'SeatNotFoundError' && ghost.seatIds).toEqual([seatId('ghost')]);
    expect(Object.keys((await stored()).seats)).toEqual(['d1', 'd2']);

    expect(await deleteSeats([seatId('d1')])).toEqual({
      __typename: 'DeleteSeatsSuccess',
      deletedIds: [seatId('d1')],
    });
    expect(await stored()).toEqual({ seats: { d2: '10.0.0.2' }, index: { '10.0.0.2': 'd2' } });
    expect((await store.get(keys.seatBindingsLock))!.modRevision).toBeGreaterThan(lockBefore);
    await upsertOk([{ name: 'd3', ip: '10.0.0.1' }]);
  });

  it("refuses to delete a seat in a segment's seat list, naming the segments", async () => {
    await upsertOk([
      { name: 'used', ip: '10.0.0.1' },
      { name: 'free', ip: '10.0.0.2' },
    ]);
    await putSegmentSeats(store, 'radar/1.0.0', ['other', 'used']);
    await putSegmentSeats(store, 'radar/2.0.0', ['used']);
    const refused = await deleteSeats([seatId('free'), seatId('used')]);
    expect(refused).toMatchObject({
      __typename: 'SeatInUseError',
      code: 'SEAT_IN_USE',
      seatName: 'used',
      segmentIds: [encodeGlobalID('Segment', 'radar/1.0.0'), encodeGlobalID('Segment', 'radar/2.0.0')],
    });
    expect(Object.keys((await stored()).seats)).toEqual(['free', 'used']);
  });

  it('upserts 10,000 seats in one call, then shifts every address by one seat', async () => {
    const count = 10_000;
    const ipOf = (i: number) => `10.50.${i >> 8}.${i & 255}`;
    const names = Array.from({ length: count }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);
    const seats = await upsertOk(names.map((name, i) => ({ name, ip: ipOf(i) })));
    expect(seats.map((seat) => seat.name)).toEqual(names);
    expect((await httpGraphQL(app.url, ListSeats, { first: 1 })).data?.seats.totalCount).toBe(count);

    // Each seat takes the next one's address: a chain across many transactions, written holder first.
    const shifted = await upsertOk(names.map((name, i) => ({ name, ip: ipOf(i + 1) })));
    expect(shifted.map((seat) => seat.ip)).toEqual(names.map((_, i) => ipOf(i + 1)));
    const { seats: all, index } = await stored();
    expect(Object.keys(index)).toHaveLength(count);
    expect(Object.keys(all)).toHaveLength(count);
    for (let i = 0; i < count; i++) expect(index[ipOf(i + 1)]).toBe(names[i]);
    expect(index[ipOf(0)]).toBeUndefined();
  }, 120_000);
});
