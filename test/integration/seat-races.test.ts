import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeatService } from '../../src/domain/seats/seat-service.js';
import type { KvStore, TxnRequest, TxnResult } from '../../src/kv/kv.js';
import { MAX_TXN_OPS } from '../../src/kv/kv.js';
import { createLogger } from '../../src/logger.js';
import { InvalidInputError, SeatInUseError } from '../../src/model/errors.js';
import { keys } from '../../src/records/keyspace.js';
import { SeatBindings } from '../../src/records/seat-bindings.js';
import { SeatCache } from '../../src/records/seat-cache.js';
import { SeatRecords } from '../../src/records/seat-records.js';
import { SegmentSeats } from '../../src/records/segment-seats.js';
import {
  type Backend,
  putInstallRecord,
  SEAT_BACKENDS,
  startBackend,
} from '../support/harness/seat-backends.js';

type TxnHook = (request: TxnRequest, next: (request: TxnRequest) => Promise<TxnResult>) => Promise<TxnResult>;

/** The store with every transaction passed through `hook` first: how a test steps between read and write. */
function withTxnHook(store: KvStore, hook: TxnHook): KvStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'txn') return (request: TxnRequest) => hook(request, (r) => target.txn(r));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function seatService(store: KvStore): SeatService {
  return new SeatService({
    records: new SeatRecords(store),
    bindings: new SeatBindings(store),
    segmentSeats: new SegmentSeats(store),
    // Started only by selector reads, which these races do not make.
    cache: new SeatCache(store, { log: createLogger({ level: 'silent' }) }),
  });
}

const writes = (request: TxnRequest) => request.success.some((op) => op.type !== 'get');
const ipOf = (i: number) => `10.60.${i >> 8}.${i & 255}`;

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'seat writes under concurrency on the $kind store',
  ({ kind }) => {
    let backend: Backend;
    let store: KvStore;

    beforeAll(async () => {
      backend = await startBackend(kind);
    }, 60_000);
    afterAll(async () => {
      await backend?.dispose();
    });
    beforeEach(async () => {
      store = await backend.openStore();
    });

    it('refuses deleting a seat named by an install that has not ended, and only then', async () => {
      const seats = seatService(store);
      await seats.upsert(['inst', 'uninst', 'done', 'loose'].map((name, i) => ({ name, ip: ipOf(i) })));
      await putInstallRecord(store, 'radar/1.0.0/0001', {
        segmentId: 'radar/1.0.0',
        installSeats: ['inst'],
        uninstallSeats: ['uninst'],
        status: 'RUNNING',
      });
      // An ended record whose marker is still there, and a record without one, bind nothing.
      await putInstallRecord(store, 'sonar/2.0.0/0001', {
        segmentId: 'sonar/2.0.0',
        installSeats: ['done'],
        uninstallSeats: [],
        status: 'SUCCEEDED',
      });
      await store.put(
        keys.install('sonar/2.0.0/0000'),
        JSON.stringify({
          segmentId: 'sonar/2.0.0',
          installSeats: ['loose'],
          uninstallSeats: [],
          status: 'PENDING',
          createdAt: new Date().toISOString(),
        }),
      );

      for (const name of ['inst', 'uninst']) {
        const refused = seats.delete([name]);
        await expect(refused).rejects.toBeInstanceOf(SeatInUseError);
        await expect(refused).rejects.toMatchObject({ seatName: name, segmentIds: ['radar/1.0.0'] });
      }
      expect(await seats.delete(['done', 'loose'])).toEqual(['done', 'loose']);
      expect([...(await seats.getMany(['inst', 'uninst', 'done', 'loose'])).keys()].sort()).toEqual([
        'inst',
        'uninst',
      ]);
    });

    it('an install created between the usage check and the delete stops the delete', async () => {
      await seatService(store).upsert([{ name: 'target', ip: '10.0.0.1' }]);
      let raced = false;
      const racing = withTxnHook(store, async (request, next) => {
        const deletesSeat = request.success.some(
          (op) => op.type === 'delete' && op.key === keys.seat('target'),
        );
        if (deletesSeat && !raced) {
          raced = true;
          // What creating an install record does: the record, its marker, and a bump of the lock.
          await putInstallRecord(store, 'radar/1.0.0/0001', {
            segmentId: 'radar/1.0.0',
            installSeats: ['target'],
            uninstallSeats: [],
            status: 'PENDING',
          });
          await store.put(keys.seatBindingsLock, 'radar/1.0.0/0001');
        }
        return next(request);
      });
      await expect(seatService(racing).delete(['target'])).rejects.toBeInstanceOf(SeatInUseError);
      expect(raced).toBe(true);
      expect(await seatService(store).get('target')).toMatchObject({ name: 'target', ip: '10.0.0.1' });
    });

    it('of two upserts that both read an address as free, exactly one takes it', async () => {
      const waiting: (() => void)[] = [];
      // Holds each write until both have read: both plan on a free address, one compare must fail.
      const gated = withTxnHook(store, async (request, next) => {
        if (writes(request) && waiting.length < 2) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === 2) for (const release of waiting) release();
          });
        }
        return next(request);
      });
      const results = await Promise.allSettled([
        seatService(gated).upsert([{ name: 'left', ip: '2001:db8::7' }]),
        seatService(gated).upsert([{ name: 'right', ip: '2001:DB8:0::7' }]),
      ]);
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.map((seat) => seat.name) : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(InvalidInputError);
      expect(lost[0]).toMatchObject({
        field: 'seats[0].ip',
        message: expect.stringContaining(`held by seat ${won[0]}`),
      });
      const seats = seatService(store);
      expect([...(await seats.getMany(['left', 'right'])).keys()]).toEqual(won);
      expect(await seats.namesByIps(['2001:db8::7'])).toEqual(new Map([['2001:db8::7', won[0]]]));
    });

    it('keeps every transaction within etcd limits for 10,000 seats, a shift of all of them, and their deletion', async () => {
      let largest = 0;
      const measured = withTxnHook(store, (request, next) => {
        largest = Math.max(largest, request.compare.length, request.success.length);
        return next(request);
      });
      const seats = seatService(measured);
      const names = Array.from({ length: 10_000 }, (_, i) => `s-${String(i).padStart(5, '0')}`);
      await seats.upsert(names.map((name, i) => ({ name, ip: ipOf(i) })));
      await seats.upsert(names.map((name, i) => ({ name, ip: ipOf(i + 1) })));
      expect(largest).toBeGreaterThan(MAX_TXN_OPS / 2);
      expect(largest).toBeLessThanOrEqual(MAX_TXN_OPS);

      const mapped = await seats.namesByIps([ipOf(1), `::ffff:${ipOf(2)}`, ipOf(0), 'nonsense']);
      expect(mapped).toEqual(
        new Map([
          [ipOf(1), names[0]],
          [ipOf(2), names[1]],
        ]),
      );
      expect((await seats.getMany(names)).size).toBe(10_000);
      expect([...(await seats.getMany(['s-00007', 'nope', 'BAD'])).keys()]).toEqual(['s-00007']);

      const doomed = names.slice(0, 300);
      expect(await seats.delete(doomed)).toEqual(doomed);
      expect(largest).toBeLessThanOrEqual(MAX_TXN_OPS);
      const page = await seats.page({ first: 2 });
      expect(page).toMatchObject({ totalCount: 9_700, hasNextPage: true });
      expect(page.seats.map((seat) => seat.name)).toEqual(['s-00300', 's-00301']);
      expect((await store.range(keys.seatIp(''), { limit: 1 })).count).toBe(9_700);
    }, 120_000);
  },
);
