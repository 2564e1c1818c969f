import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GroupFreezeGuard } from '../../src/domain/groups/freeze-guard.js';
import { GroupService } from '../../src/domain/groups/group-service.js';
import { SeatService } from '../../src/domain/seats/seat-service.js';
import type { KvStore } from '../../src/kv/kv.js';
import { createLogger } from '../../src/logger.js';
import { GroupFrozenError, GroupNotFoundError, InvalidInputError } from '../../src/model/errors.js';
import { keys } from '../../src/records/keyspace.js';
import { SeatBindings } from '../../src/records/seat-bindings.js';
import { SeatCache } from '../../src/records/seat-cache.js';
import { SeatGroupRecords } from '../../src/records/seat-group-records.js';
import { SeatRecords } from '../../src/records/seat-records.js';
import { SegmentSeats } from '../../src/records/segment-seats.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

/** D8 freezes in the group service and the freeze guard, with the clock injected, on both stores. */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('group freezes on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let cache: SeatCache;
  let groups: GroupService;
  let freezes: GroupFreezeGuard;
  let records: SeatGroupRecords;
  let clock = new Date('2026-12-07T12:00:00.000Z');
  const at = (seconds: number) => new Date(clock.getTime() + seconds * 1000);

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    cache = new SeatCache(store, { log: createLogger({ level: 'silent' }) });
    records = new SeatGroupRecords(store);
    groups = new GroupService({ cache, records, maxGroups: 10, now: () => clock });
    freezes = new GroupFreezeGuard(groups);
    const seats = new SeatService({
      records: new SeatRecords(store),
      bindings: new SeatBindings(store),
      segmentSeats: new SegmentSeats(store),
      cache,
    });
    await seats.upsert([
      { name: 'ws-1', ip: '10.0.0.1', labels: [{ key: 'site', value: 'north' }] },
      { name: 'ws-2', ip: '10.0.0.2', labels: [{ key: 'site', value: 'north' }] },
      { name: 'ws-3', ip: '10.0.0.3', labels: [{ key: 'site', value: 'south' }] },
    ]);
  }, 60_000);

  afterAll(async () => {
    await cache?.close();
    await backend?.dispose();
  });

  beforeEach(async () => {
    clock = new Date('2026-12-07T12:00:00.000Z');
    await store.deletePrefix(keys.seatGroups);
    await groups.upsert({ name: 'north', selector: 'site=north' });
    await groups.upsert({ name: 'all', selector: 'site' });
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => err,
    );

  it('freezes with a reason, keeps the freeze through an edit of the group, and replaces it on refreeze', async () => {
    const frozen = await groups.freeze('north', 'harbour inspection', at(3600), 'alice');
    expect(frozen.frozen).toEqual({
      reason: 'harbour inspection',
      until: at(3600).toISOString(),
      by: 'alice',
      at: clock.toISOString(),
    });
    expect(await freezes.freezeOf('north')).toMatchObject({ reason: 'harbour inspection', by: 'alice' });
    expect(await freezes.freezeOf('all')).toBeUndefined();
    expect(await freezes.freezeOf('nowhere')).toBeUndefined();

    // Editing the group (selector, description) leaves its freeze as it was.
    const edited = await groups.upsert({ name: 'north', selector: 'site in (north)', description: 'x' });
    expect(edited.frozen).toEqual(frozen.frozen);

    // Refreezing replaces: a new reason, no until (holds until unfrozen), a new author.
    const again = await groups.freeze('north', 'storm', undefined, 'bob');
    expect(again.frozen).toEqual({ reason: 'storm', by: 'bob', at: clock.toISOString() });
    expect((await groups.get('north'))?.frozen).toEqual(again.frozen);
  });

  it('refuses bad freezes with a typed error and writes nothing', async () => {
    const before = await records.get('north');
    expect(await refusal(groups.freeze('nowhere', 'x', undefined, 'alice'))).toBeInstanceOf(
      GroupNotFoundError,
    );
    for (const [reason, until, field] of [
      ['', undefined, 'reason'],
      ['   ', undefined, 'reason'],
      ['x'.repeat(501), undefined, 'reason'],
      ['ok', at(0), 'until'],
      ['ok', at(-60), 'until'],
    ] as const) {
      const err = await refusal(groups.freeze('north', reason, until, 'alice'));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).field).toBe(field);
    }
    expect((await groups.freeze('north', 'x'.repeat(500), undefined, 'alice')).frozen?.reason).toHaveLength(
      500,
    );
    await groups.unfreeze('north');
    const after = await records.get('north');
    expect(after?.frozen).toBeUndefined();
    expect(before?.frozen).toBeUndefined();
  });

  it('unfreezes, and unfreezing a group that is not frozen changes nothing', async () => {
    const held = await records.get('all');
    const unchanged = await groups.unfreeze('all');
    expect(unchanged.frozen).toBeUndefined();
    expect((await records.get('all'))?.modRevision).toBe(held?.modRevision);
    expect(await refusal(groups.unfreeze('nowhere'))).toBeInstanceOf(GroupNotFoundError);

    await groups.freeze('north', 'audit', undefined, 'alice');
    expect((await groups.unfreeze('north')).frozen).toBeUndefined();
    expect(await freezes.freezeOf('north')).toBeUndefined();
    expect((await records.get('north'))?.frozen).toBeUndefined();
  });

  it('names the frozen groups holding given seats, and a freeze ends by itself at its until', async () => {
    await groups.freeze('north', 'harbour inspection', at(60), 'alice');
    await groups.freeze('all', 'quiet period', at(600), 'bob');
    expect(await freezes.frozenGroupsOf(['ws-3', 'ws-1', 'ws-9'])).toEqual([
      expect.objectContaining({ group: 'all', seats: ['ws-1', 'ws-3'] }),
      expect.objectContaining({ group: 'north', seats: ['ws-1'] }),
    ]);
    expect(await freezes.frozenGroupsOf([])).toEqual([]);
    const err = await refusal(freezes.refuseFrozen(['ws-2']));
    expect(err).toBeInstanceOf(GroupFrozenError);
    expect(err).toMatchObject({ code: 'GROUP_FROZEN', groupName: 'all', reason: 'quiet period' });

    // 60 s later by the clock: north's freeze is over, with nothing written.
    clock = at(60);
    expect(await freezes.freezeOf('north')).toBeUndefined();
    expect((await groups.get('north'))?.frozen).toBeUndefined();
    expect((await freezes.frozenGroupsOf(['ws-1'])).map((f) => f.group)).toEqual(['all']);
    // Unfreezing an ended freeze is unfreezing a group that is not frozen.
    expect((await groups.unfreeze('north')).frozen).toBeUndefined();

    clock = at(540);
    expect(await freezes.frozenGroupsOf(['ws-1', 'ws-2', 'ws-3'])).toEqual([]);
    await expect(freezes.refuseFrozen(['ws-1', 'ws-2', 'ws-3'])).resolves.toBeUndefined();
  });
});
