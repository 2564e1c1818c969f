import type { KvStore } from '../../../src/kv/kv.js';
import type { SdpTarget } from '../../../src/model/targets.js';
import { readInstall } from '../../../src/records/install-chunks.js';
import { keys } from '../../../src/records/keyspace.js';
import { type StoredSegment, toStored } from '../../../src/records/segment-records.js';
import { SegmentSeats } from '../../../src/records/segment-seats.js';
import type { Random } from '../../../src/sim/random.js';
import { ListSegments } from '../documents/segment-list-documents.js';
import { buildSegmentZip } from '../fixtures/archives.js';
import { install } from '../fixtures/installs.js';
import { deleteSegment } from '../fixtures/segment-store-state.js';
import { storageContents, uploadSegment } from '../fixtures/segments.js';
import { httpGraphQL } from './graphql-client.js';
import type { TestSimulator } from './sdp-sim.js';

/**
 * The crash harness's pieces: operations that leave work for the controller, a journal of what the
 * simulator really did, and the invariants the world must satisfy once every record has settled.
 */

export type Seat = { id: string; name: string; ip: string };

/** What the simulator did, as its events report it: creates that were not replays, tasks really started. */
export class SimJournal {
  readonly created = new Map<string, number>();
  readonly started = new Map<string, number>();

  constructor(sim: TestSimulator) {
    for (const target of ['DEPLOY_PLATFORM', 'STORE_15S'] as SdpTarget[]) {
      const platform = sim.sim.platform(target);
      platform.segments.events.on('created', (s) => bump(this.created, `${s.name}/${s.version}`));
      platform.tasks.events.on('started', (t) => bump(this.started, t.idempotencyKey));
    }
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Uploads two fresh segments; resolves with the ids the server acknowledged (a kill may cut either). */
export async function uploadTwo(url: string, run: number): Promise<string[]> {
  const uploads = [0, 1].map(async (i) => {
    const name = `chaos-${run}-${i}`;
    const bytes = await buildSegmentZip({ name, version: '1.0.0' }, { payload: `${name} `.repeat(20_000) });
    const result = await uploadSegment(url, { bytes, fileName: `${name}.zip` });
    return result.__typename === 'UploadSegmentSuccess' ? [result.segment.id] : [];
  });
  const settled = await Promise.allSettled(uploads);
  return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
}

/** Synced, not-deleting segments, as a client would find them. */
export async function syncedSegments(url: string, filter: { installed?: boolean } = {}) {
  const result = await httpGraphQL(url, ListSegments, {
    first: 500,
    filter: { syncStatus: 'SYNCED', deleteStatus: 'NONE', ...filter },
  });
  return result.data?.segments.edges.map((e) => e.node) ?? [];
}

/** Asks to delete up to two segments on no seat, reporting the store id of each delete accepted. */
export async function deleteSome(url: string, random: Random, accepted: (id: string) => void): Promise<void> {
  for (const segment of pick(await syncedSegments(url, { installed: false }), 2, random)) {
    const answer = await deleteSegment(url, segment.id);
    if (answer.__typename === 'DeleteSegmentSuccess') accepted(`${segment.name}/${segment.version}`);
  }
}

/** Sets a random set of seats on a random synced segment; false when there was nothing to do. */
export async function installSome(url: string, seats: Seat[], random: Random): Promise<boolean> {
  const [segment] = pick(await syncedSegments(url), 1, random);
  if (!segment) return false;
  const chosen = pick(seats, 1 + Math.floor(random() * seats.length), random);
  const answer = await install(
    url,
    segment.id,
    chosen.map((s) => s.id),
  );
  return answer.__typename === 'InstallSegmentSuccess' && answer.record !== null;
}

function pick<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0)
    out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return out;
}

/** What the store holds once seghub is stopped. */
export async function readWorld(store: KvStore) {
  const segments = (await store.range(keys.segments)).kvs.map(toStored);
  const installs = await Promise.all(
    (await store.range(keys.installs)).kvs.map((kv) => readInstall(store, kv)),
  );
  const seatLists = await new SegmentSeats(store).all();
  const active = (await store.range(keys.activeInstall(''))).kvs.map((kv) => kv.key);
  return { segments, installs, seatLists, active };
}

/** Whether every record has reached a final state: what the harness waits for before judging. */
export async function settled(store: KvStore): Promise<boolean> {
  const world = await readWorld(store);
  return (
    world.active.length === 0 &&
    world.segments.every((s) => s.record.sync.status !== 'PENDING' && s.record.deleteStatus !== 'PROCESSING')
  );
}

export interface Expectations {
  store: KvStore;
  dataDir: string;
  sim: TestSimulator;
  journal: SimJournal;
  seats: Seat[];
  /** Store ids whose delete was accepted: they must be gone everywhere. */
  deleted: Set<string>;
}

/** Every broken invariant, in words (an empty list when the world is as it must be). */
export async function violations(e: Expectations): Promise<string[]> {
  const world = await readWorld(e.store);
  const found: string[] = [];
  const byId = new Map(world.segments.map((s) => [s.id, s]));
  for (const s of world.segments) found.push(...segmentViolations(s, e, world.seatLists.get(s.id) ?? []));
  for (const id of e.deleted) if (byId.has(id)) found.push(`${id}: deleted, yet its record is still there`);
  for (const key of world.active) found.push(`${key}: an install never ended`);
  for (const { id, record } of world.installs) {
    if (record.status !== 'SUCCEEDED') found.push(`install ${id}: ${record.status}`);
    for (const task of record.plan?.tasks ?? []) {
      const starts = e.journal.started.get(task.idempotencyKey) ?? 0;
      if (starts !== 1) found.push(`install ${id}: task ${task.idempotencyKey} started ${starts} times`);
    }
  }
  for (const [key, starts] of e.journal.started)
    if (starts > 1) found.push(`task ${key} started ${starts} times`);
  for (const [id, creates] of e.journal.created)
    if (creates > 1) found.push(`${id}: created on SDP ${creates} times`);
  const uids = new Set(world.segments.map((s) => s.record.remoteExtra?.uid));
  for (const target of ['DEPLOY_PLATFORM', 'STORE_15S'] as SdpTarget[]) {
    for (const remote of e.sim.sim.platform(target).segments.list()) {
      if (!uids.has(remote.uid))
        found.push(`${remote.name}/${remote.version}: on SDP, but seghub has no record of it`);
    }
  }
  const files = await storageContents(e.dataDir);
  const named = new Set(world.segments.map((s) => s.record.sha256));
  for (const sha of files.files)
    if (!named.has(sha)) found.push(`file ${sha.slice(0, 12)}…: no record names it`);
  for (const sha of named) if (!files.files.includes(sha)) found.push(`file ${sha.slice(0, 12)}…: missing`);
  // An upload cut short leaves its temp file (partial, or complete but never recorded) for the
  // sweep, which removes it once idle for 10 minutes; none of them may be a file a record names.
  for (const name of files.temp) {
    if ([...named].some((sha) => name.startsWith(`${sha}.`)))
      found.push(`temp ${name}: a recorded file never placed`);
  }
  return found;
}

function segmentViolations(s: StoredSegment, e: Expectations, seatList: readonly string[]): string[] {
  const found: string[] = [];
  const { sync, deleteStatus, remoteExtra, target } = s.record;
  if (sync.status !== 'SYNCED') found.push(`${s.id}: sync ${sync.status} (${sync.lastError ?? ''})`);
  if (deleteStatus !== 'NONE') found.push(`${s.id}: delete ${deleteStatus}`);
  const platform = e.sim.sim.platform(target);
  const remote = remoteExtra && platform.segments.get(remoteExtra.uid);
  if (!remote) return [...found, `${s.id}: SDP has no segment ${remoteExtra?.uid ?? '(no uid)'}`];
  const onDevices = platform.tasks
    .installedDevices(remoteExtra.uid)
    .map((ip) => e.seats.find((seat) => seat.ip === ip)?.name ?? ip)
    .sort();
  if (onDevices.join() !== [...seatList].sort().join()) {
    found.push(`${s.id}: seghub lists seats [${seatList}], SDP has it on [${onDevices}]`);
  }
  return found;
}
