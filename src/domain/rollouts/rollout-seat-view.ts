import { SEAT_CHUNK_SIZE } from '../../records/chunked-writes.js';
import type { RolloutRecords } from '../../records/rollout-records.js';
import type { RolloutSeat, RolloutSeatState } from '../../records/rollout-schema.js';
import type { InstallService } from '../installs/install-service.js';
import type { RolloutSeatPage, StoredRollout } from './rollout-types.js';

/**
 * A page of a rollout's seats as an operator sees them: the chunks as the engine last accounted
 * them, with the seats of the install record still running read live from its log, so a wave's
 * seats move on the dashboard as SDP reports them and not only when the wave's record ends.
 * The cursor is the seat's position in the rollout (wave order).
 */
export async function readSeatPage(
  deps: { records: RolloutRecords; installs: InstallService },
  stored: StoredRollout,
  first: number,
  after: string | undefined,
  state: RolloutSeatState | undefined,
): Promise<RolloutSeatPage> {
  const start = after === undefined ? 0 : Number.parseInt(after, 10) + 1;
  const total = stored.record.summary.total;
  if (!Number.isInteger(start) || start < 0) return { items: [], hasNextPage: false, totalCount: total };
  const live = await liveStates(deps.installs, stored);
  const items: RolloutSeat[] = [];
  let last = start - 1;
  let matched = 0;
  let more = false;
  // Unfiltered, the count is the summary's; filtered, every chunk is read to count the matches.
  const from = state === undefined ? Math.floor(start / SEAT_CHUNK_SIZE) : 0;
  for (let n = from; n < stored.record.chunks; n += 10) {
    if (more && state === undefined) break;
    const chunks = await deps.records.readChunks(stored.id, n, n + 10);
    for (const [c, seats] of [...chunks].sort((a, b) => a[0] - b[0])) {
      for (const [i, seat] of seats.entries()) {
        const index = c * SEAT_CHUNK_SIZE + i;
        if (index < start && state === undefined) continue;
        const moved = seat.state === 'RUNNING' ? live.get(seat.seat) : undefined;
        const shown = moved ? { ...seat, ...moved } : seat;
        if (state !== undefined && shown.state !== state) continue;
        matched++;
        if (index < start) continue;
        if (items.length === first) {
          more = true;
          continue;
        }
        items.push(shown);
        last = index;
      }
    }
  }
  return {
    items,
    hasNextPage: more,
    ...(items.length > 0 ? { endCursor: String(last) } : {}),
    totalCount: state === undefined ? total : matched,
  };
}

/** The seats of the record the rollout waits on, as its log says now (only those that moved). */
async function liveStates(
  installs: InstallService,
  stored: StoredRollout,
): Promise<Map<string, Pick<RolloutSeat, 'state' | 'error'>>> {
  const out = new Map<string, Pick<RolloutSeat, 'state' | 'error'>>();
  const step = stored.record.step;
  if (!step || step.accounted || step.kind !== 'WAVE') return out;
  const [record, read] = await Promise.all([installs.get(step.recordId), installs.readLog(step.recordId)]);
  if (!record || !read) return out;
  record.record.installSeats.forEach((seat, index) => {
    const progress = read.log.seat(index);
    if (progress.state === 'PENDING') return;
    out.set(seat, { state: progress.state, ...(progress.error ? { error: progress.error } : {}) });
  });
  return out;
}
