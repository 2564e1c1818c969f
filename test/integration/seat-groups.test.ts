import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import {
  DeleteSeatGroup,
  GetSeatGroup,
  ListSeatGroups,
  SelectSeats,
  SetSeatLabels,
  UpsertLabelledSeats,
  UpsertSeatGroup,
} from '../support/documents/seat-group-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { tempDir } from '../support/harness/temp.js';

type Label = { key: string; value: string };

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'seat groups and setSeatLabels on the $kind store',
  ({ kind }) => {
    let backend: Backend;
    let store: KvStore;
    let app: Awaited<ReturnType<typeof startTestApp>>;
    let removeData: () => Promise<void>;

    beforeAll(async () => {
      backend = await startBackend(kind);
      store = await backend.openStore();
      const data = await tempDir('seghub-seat-groups');
      removeData = data.remove;
      app = await startTestApp(testConfig({ DATA_DIR: data.dir }), { store });
    }, 60_000);

    afterAll(async () => {
      await app?.stop();
      await backend?.dispose();
      await removeData?.();
    });

    beforeEach(async () => {
      for (const prefix of [keys.seats, keys.seatIp(''), keys.seatGroups]) await store.deletePrefix(prefix);
    });

    const seatId = (name: string) => encodeGlobalID('Seat', name);
    const addSeats = async (count: number, labelsOf: (i: number) => Label[], prefix = 'ws') => {
      const seats = Array.from({ length: count }, (_, i) => ({
        name: `${prefix}-${String(i).padStart(5, '0')}`,
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        labels: labelsOf(i),
      }));
      for (let i = 0; i < seats.length; i += 10_000) {
        const result = await httpGraphQL(app.url, UpsertLabelledSeats, { seats: seats.slice(i, i + 10_000) });
        expect(result.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
      }
      return seats;
    };
    const upsertGroup = async (input: {
      name: string;
      selector: string;
      protected?: boolean;
      description?: string;
    }) => (await httpGraphQL(app.url, UpsertSeatGroup, { input })).data!.upsertSeatGroup;
    const group = async (name: string, first = 50, after?: string) =>
      (await httpGraphQL(app.url, GetSeatGroup, { name, first, after })).data!.seatGroup;
    const setLabels = async (vars: {
      seatIds?: string[];
      selector?: string;
      set?: Label[];
      remove?: string[];
    }) => (await httpGraphQL(app.url, SetSeatLabels, vars)).data!.setSeatLabels;
    const storedSeats = async () =>
      Object.fromEntries((await store.range(keys.seats)).kvs.map((kv) => [kv.key, kv.value]));

    it('creates, changes, lists and deletes groups; membership follows the labels', async () => {
      await addSeats(10, (i) => [{ key: 'site', value: i < 6 ? 'north' : 'south' }]);
      const created = await upsertGroup({
        name: 'north',
        selector: 'site=north',
        description: 'Northern seats',
      });
      expect(created).toMatchObject({
        __typename: 'UpsertSeatGroupSuccess',
        group: {
          name: 'north',
          selector: 'site=north',
          protected: false,
          description: 'Northern seats',
          seatCount: 6,
        },
      });
      await upsertGroup({ name: 'all', selector: '' });
      // Changing the selector keeps protected and description when not given.
      await upsertGroup({ name: 'north', selector: 'site=north,!retired' });
      expect((await httpGraphQL(app.url, ListSeatGroups, {})).data!.seatGroups).toEqual([
        { name: 'all', selector: '', protected: false, seatCount: 10 },
        { name: 'north', selector: 'site=north,!retired', protected: false, seatCount: 6 },
      ]);
      const relabelled = await setLabels({
        seatIds: [seatId('ws-00000'), seatId('ws-00009')],
        set: [{ key: 'retired', value: 'yes' }],
      });
      expect(relabelled).toMatchObject({ matchedCount: 2, changedCount: 2 });
      const page = (await httpGraphQL(app.url, SelectSeats, { selector: 'site' })).data!.seats;
      const groupsOf = Object.fromEntries(page.edges.map((e) => [e.node.name, e.node.groups]));
      expect(groupsOf['ws-00000']).toEqual(['all']);
      expect(groupsOf['ws-00001']).toEqual(['all', 'north']);
      expect(groupsOf['ws-00009']).toEqual(['all']);
      expect((await group('north'))!.seatCount).toBe(5);
      expect((await group('north'))!.description).toBe('Northern seats');

      expect(await httpGraphQL(app.url, DeleteSeatGroup, { name: 'north' })).toMatchObject({
        data: { deleteSeatGroup: { __typename: 'DeleteSeatGroupSuccess', name: 'north' } },
      });
      expect(await group('north')).toBeNull();
      expect(
        (await httpGraphQL(app.url, DeleteSeatGroup, { name: 'north' })).data!.deleteSeatGroup,
      ).toMatchObject({
        code: 'GROUP_NOT_FOUND',
      });
    });

    it("pages a group's seats with the cursors of the seats list", async () => {
      await addSeats(12, (i) => [{ key: 'deck', value: String(i % 3) }]);
      await upsertGroup({ name: 'deck-one', selector: 'deck in (1)' });
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const seats = (await group('deck-one', 2, after))!.seats;
        expect(seats.totalCount).toBe(4);
        seen.push(...seats.edges.map((e) => e.node.name));
        if (!seats.pageInfo.hasNextPage) break;
        after = seats.pageInfo.endCursor!;
      }
      expect(seen).toEqual(['ws-00001', 'ws-00004', 'ws-00007', 'ws-00010']);
    });

    it('refuses bad groups with typed errors and writes nothing', async () => {
      expect(await upsertGroup({ name: 'g', selector: 'site in (a' })).toMatchObject({
        __typename: 'InvalidSelectorError',
        code: 'INVALID_SELECTOR',
        position: 10,
        expected: "',' or ')'",
      });
      expect(await upsertGroup({ name: 'Bad Name', selector: '' })).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.name',
      });
      expect(await upsertGroup({ name: 'g', selector: '', description: 'x'.repeat(257) })).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.description',
      });
      expect((await store.range(keys.seatGroups)).kvs).toEqual([]);
    });

    it('relabels 5,000 seats by selector in one call, leaving the other labels and seats alone', async () => {
      const seats = await addSeats(6000, (i) => [
        { key: 'site', value: i < 5000 ? 'north' : 'south' },
        { key: 'row', value: String(i % 7) },
      ]);
      const result = await setLabels({
        selector: 'site=north',
        set: [{ key: 'ring', value: 'canary' }],
        remove: ['row'],
      });
      expect(result).toEqual({ __typename: 'SetSeatLabelsSuccess', matchedCount: 5000, changedCount: 5000 });
      const stored = (await store.range(keys.seats)).kvs.map((kv) => JSON.parse(kv.value));
      expect(stored).toHaveLength(6000);
      for (const [i, record] of stored.entries()) {
        expect(record.name).toBe(seats[i]!.name);
        expect(record.labels).toEqual(
          i < 5000
            ? [
                { key: 'ring', value: 'canary' },
                { key: 'site', value: 'north' },
              ]
            : [
                { key: 'row', value: String(i % 7) },
                { key: 'site', value: 'south' },
              ],
        );
      }
      const again = await setLabels({ selector: 'ring=canary', set: [{ key: 'ring', value: 'canary' }] });
      expect(again).toMatchObject({ matchedCount: 5000, changedCount: 0 });
    }, 120_000);

    it('refuses bad setSeatLabels input with typed errors and changes nothing', async () => {
      await addSeats(3, () => [{ key: 'site', value: 'north' }]);
      const before = await storedSeats();
      const cases: [Parameters<typeof setLabels>[0], object][] = [
        [
          { selector: 'site=', set: [{ key: 'BAD', value: 'x' }] },
          { code: 'INVALID_LABEL', labelField: 'set[0]' },
        ],
        [
          { selector: 'site in', set: [{ key: 'a', value: 'x' }] },
          { code: 'INVALID_SELECTOR', position: 7 },
        ],
        [
          { seatIds: [seatId('ws-00000'), seatId('nope')], set: [{ key: 'a', value: 'x' }] },
          { code: 'SEAT_NOT_FOUND', seatIds: [seatId('nope')] },
        ],
        [{ set: [{ key: 'a', value: 'x' }] }, { code: 'INVALID_INPUT' }],
        [{ selector: 'site', seatIds: [seatId('ws-00000')], set: [] }, { code: 'INVALID_INPUT' }],
        [{ selector: 'site', set: [{ key: 'a', value: 'x' }], remove: ['a'] }, { code: 'INVALID_INPUT' }],
        [
          { selector: 'site', remove: ['Nope'] },
          { code: 'INVALID_LABEL', labelField: 'remove[0]' },
        ],
        [
          { selector: 'site', set: Array.from({ length: 32 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
          { code: 'INVALID_LABEL', labelField: 'set' },
        ],
      ];
      for (const [vars, expected] of cases) expect(await setLabels(vars)).toMatchObject(expected);
      expect(await storedSeats()).toEqual(before);
    });
  },
);
