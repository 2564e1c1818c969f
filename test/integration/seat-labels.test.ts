import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { matchesSelector, parseSelector } from '../../src/model/selector.js';
import { keys } from '../../src/records/keyspace.js';
import { ListSeats } from '../support/documents/seat-documents.js';
import { SelectSeats, UpsertLabelledSeats } from '../support/documents/seat-group-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { tempDir } from '../support/harness/temp.js';

type Label = { key: string; value: string };
type SeatInput = { name: string; ip: string; labels?: Label[]; description?: string };

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'seat labels and selectors on the $kind store',
  ({ kind }) => {
    let backend: Backend;
    let store: KvStore;
    let app: Awaited<ReturnType<typeof startTestApp>>;
    let removeData: () => Promise<void>;

    beforeAll(async () => {
      backend = await startBackend(kind);
      store = await backend.openStore();
      const data = await tempDir('seghub-seat-labels');
      removeData = data.remove;
      app = await startTestApp(testConfig({ DATA_DIR: data.dir }), { store });
    }, 60_000);

    afterAll(async () => {
      await app?.stop();
      await backend?.dispose();
      await removeData?.();
    });

    beforeEach(async () => {
      for (const prefix of [keys.seats, keys.seatIp('')]) await store.deletePrefix(prefix);
    });

    const upsert = async (seats: SeatInput[]) =>
      (await httpGraphQL(app.url, UpsertLabelledSeats, { seats })).data!.upsertSeats;
    const upsertOk = async (seats: SeatInput[]) => {
      const result = await upsert(seats);
      if (result.__typename !== 'UpsertSeatsSuccess') throw new Error(`refused: ${JSON.stringify(result)}`);
      return result.seats;
    };
    const storedSeats = async () =>
      Object.fromEntries((await store.range(keys.seats)).kvs.map((kv) => [kv.key, kv.value]));
    const select = async (selector: string, first = 50, after?: string) => {
      const result = await httpGraphQL(app.url, SelectSeats, { selector, first, after });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data!.seats;
    };

    it('stores labels in key order; a later upsert without labels keeps them, labels: [] clears them', async () => {
      const [seat] = await upsertOk([
        {
          name: 'ws-1',
          ip: '10.0.0.1',
          labels: [
            { key: 'site', value: 'north' },
            { key: 'role', value: 'bridge' },
          ],
          description: 'Bridge 1',
        },
      ]);
      expect(seat!.labels).toEqual([
        { key: 'role', value: 'bridge' },
        { key: 'site', value: 'north' },
      ]);
      expect(seat!.description).toBe('Bridge 1');
      const [moved] = await upsertOk([{ name: 'ws-1', ip: '10.0.0.2' }]);
      expect(moved!.labels).toEqual(seat!.labels);
      expect(moved!.description).toBe('Bridge 1');
      const [cleared] = await upsertOk([{ name: 'ws-1', ip: '10.0.0.2', labels: [], description: '' }]);
      expect(cleared!.labels).toEqual([]);
      expect(cleared!.description).toBeNull();
    });

    it('refuses bad labels with INVALID_LABEL naming the label, and writes nothing', async () => {
      await upsertOk([{ name: 'ws-1', ip: '10.0.0.1', labels: [{ key: 'site', value: 'north' }] }]);
      const before = await storedSeats();
      const cases: [SeatInput[], string][] = [
        [
          [
            { name: 'ws-2', ip: '10.0.0.2' },
            { name: 'ws-3', ip: '10.0.0.3', labels: [{ key: 'Site', value: 'x' }] },
          ],
          'seats[1].labels[0]',
        ],
        [[{ name: 'ws-1', ip: '10.0.0.1', labels: [{ key: 'site', value: 'a b' }] }], 'seats[0].labels[0]'],
        [
          [
            {
              name: 'ws-1',
              ip: '10.0.0.1',
              labels: [
                { key: 'a', value: '1' },
                { key: 'a', value: '2' },
              ],
            },
          ],
          'seats[0].labels[1]',
        ],
        [
          [
            {
              name: 'ws-1',
              ip: '10.0.0.1',
              labels: Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
            },
          ],
          'seats[0].labels',
        ],
        [
          [{ name: 'ws-1', ip: '10.0.0.1', labels: [{ key: `k${'x'.repeat(63)}`, value: 'v' }] }],
          'seats[0].labels[0]',
        ],
      ];
      for (const [seats, field] of cases) {
        const result = await upsert(seats);
        expect(result).toMatchObject({
          __typename: 'InvalidLabelError',
          code: 'INVALID_LABEL',
          labelField: field,
        });
      }
      const tooLong = await upsert([{ name: 'ws-1', ip: '10.0.0.1', description: 'x'.repeat(257) }]);
      expect(tooLong).toMatchObject({ code: 'INVALID_INPUT', field: 'seats[0].description' });
      expect(await storedSeats()).toEqual(before);
    });

    it('reads seat records written before labels existed', async () => {
      const at = new Date().toISOString();
      await store.put(
        keys.seat('old-1'),
        JSON.stringify({ name: 'old-1', ip: '10.9.0.1', createdAt: at, updatedAt: at }),
      );
      const page = await select('');
      expect(page.edges.map((e) => e.node)).toMatchObject([{ name: 'old-1', labels: [], description: null }]);
      const [relabelled] = await upsertOk([
        { name: 'old-1', ip: '10.9.0.1', labels: [{ key: 'site', value: 'a' }] },
      ]);
      expect(relabelled!.labels).toEqual([{ key: 'site', value: 'a' }]);
    });

    it('filters by selector in the unfiltered order, with the same cursors, page by page', async () => {
      const sites = ['north', 'south', 'east'];
      const roles = ['bridge', 'engine', 'galley', undefined];
      const seats = Array.from({ length: 40 }, (_, i) => {
        const role = roles[i % 4];
        return {
          name: `ws-${String((i * 7) % 40).padStart(2, '0')}`,
          ip: `10.1.0.${i + 1}`,
          labels: [{ key: 'site', value: sites[i % 3]! }, ...(role ? [{ key: 'role', value: role }] : [])],
        };
      });
      await upsertOk(seats);
      const all = (await httpGraphQL(app.url, ListSeats, { first: 100 })).data!.seats.edges;
      const cursorOf = new Map(all.map((edge) => [edge.node.name, edge.cursor]));
      for (const text of [
        'site=north,role in (bridge,engine)',
        'role notin (galley)',
        '!role',
        'site!=east,role',
        '',
      ]) {
        const selector = parseSelector(text);
        const expected = seats
          .filter((seat) => matchesSelector(selector, new Map(seat.labels.map((l) => [l.key, l.value]))))
          .map((seat) => seat.name)
          .sort();
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await select(text, 3, after);
          expect(page.totalCount).toBe(expected.length);
          for (const edge of page.edges) expect(edge.cursor).toBe(cursorOf.get(edge.node.name));
          seen.push(...page.edges.map((edge) => edge.node.name));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor!;
        }
        expect(seen).toEqual(expected);
      }
    });

    it('sees a relabel at once (the selector reads after every acknowledged write)', async () => {
      await upsertOk([{ name: 'ws-1', ip: '10.0.0.1', labels: [{ key: 'site', value: 'north' }] }]);
      expect((await select('site=north')).totalCount).toBe(1);
      await upsertOk([{ name: 'ws-1', ip: '10.0.0.1', labels: [{ key: 'site', value: 'south' }] }]);
      expect((await select('site=north')).totalCount).toBe(0);
      expect((await select('site=south')).edges.map((e) => e.node.name)).toEqual(['ws-1']);
      await store.deletePrefix(keys.seats);
      expect((await select('site=south')).totalCount).toBe(0);
    });

    it('answers a bad selector with INVALID_SELECTOR, its position and what was expected', async () => {
      const result = await httpGraphQL(app.url, SelectSeats, { selector: 'site=north,role in (bridge' });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'INVALID_SELECTOR',
        position: 26,
        expected: "',' or ')'",
      });
    });
  },
);
