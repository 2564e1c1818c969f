import type { ExecutionResult } from 'graphql';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import type { InstallLogFieldsFragment } from '../generated/graphql.js';
import { buildSegmentZip } from './archives.js';
import { httpGraphQL } from './graphql-client.js';
import { GetInstallRecord, InstallLogUpdated, InstallSegment, SegmentSeats } from './install-documents.js';
import { UpsertSeats } from './seat-documents.js';
import { uploadOk, waitForSyncStatus } from './segments.js';
import { waitFor } from './wait-for.js';

/** Uploads a small segment and waits until it is SYNCED: ready to install. */
export async function syncedSegment(url: string, name: string, version = '1.0.0') {
  const bytes = await buildSegmentZip({ name, version }, { payload: `${name} ${version}` });
  const segment = await uploadOk(url, { bytes, fileName: `${name}-${version}.zip` });
  return waitForSyncStatus(url, segment.id, 'SYNCED');
}

/** Seats `<prefix>-0 ..` at 10.<n>.<n>.<n>; returns them with their global ids, in order. */
export async function addSeats(url: string, count: number, prefix = 'seat') {
  const seats = Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${i}`,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  }));
  const result = await httpGraphQL(url, UpsertSeats, { seats });
  const payload = result.data?.upsertSeats;
  if (payload?.__typename !== 'UpsertSeatsSuccess') throw new Error(`upsertSeats: ${JSON.stringify(result)}`);
  return payload.seats;
}

export async function install(url: string, segmentId: string, seatIds: string[]) {
  const result = await httpGraphQL(url, InstallSegment, { id: segmentId, seatIds });
  if (!result.data) throw new Error(`installSegment: ${JSON.stringify(result.errors)}`);
  return result.data.installSegment;
}

/** Starts an install that must produce a record; returns the record. */
export async function installOk(url: string, segmentId: string, seatIds: string[]) {
  const payload = await install(url, segmentId, seatIds);
  if (payload.__typename !== 'InstallSegmentSuccess' || !payload.record) {
    throw new Error(`install did not start: ${JSON.stringify(payload)}`);
  }
  return payload.record;
}

export async function installRecord(url: string, id: string) {
  const result = await httpGraphQL(url, GetInstallRecord, { id });
  if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
  return result.data?.installRecord ?? null;
}

const FINAL = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED'];

/** Waits until the record has ended; returns it with its log. */
export function waitForInstallEnd(url: string, id: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const record = await installRecord(url, id);
      return record && FINAL.includes(record.status) ? record : undefined;
    },
    { timeoutMs, intervalMs: 50, message: `install ${id} to end` },
  );
}

export async function segmentSeatNames(url: string, segmentId: string): Promise<string[]> {
  const result = await httpGraphQL(url, SegmentSeats, { id: segmentId });
  return (result.data?.segment?.seats ?? []).map((seat) => seat.name).sort();
}

/**
 * Follows `installLogUpdated` until it completes. `onEvent` sees each log as it arrives (a test can
 * act after the first one); resolves with them all.
 */
export function followInstallLog(
  client: Client,
  recordId: string,
  onEvent: (log: InstallLogFieldsFragment, index: number) => void = () => {},
): Promise<InstallLogFieldsFragment[]> {
  return new Promise((resolve, reject) => {
    const logs: InstallLogFieldsFragment[] = [];
    client.subscribe(
      { query: print(InstallLogUpdated), variables: { recordId } },
      {
        next: (result: ExecutionResult<Record<string, unknown>>) => {
          if (result.errors?.length) return reject(new Error(JSON.stringify(result.errors)));
          const log = (result.data as { installLogUpdated: InstallLogFieldsFragment }).installLogUpdated;
          logs.push(log);
          onEvent(log, logs.length - 1);
        },
        error: reject,
        complete: () => resolve(logs),
      },
    );
  });
}

/** Each seat's last state across a subscription's events (they carry only the seats that changed). */
export function lastSeatStates(
  logs: InstallLogFieldsFragment[],
): Map<string, InstallLogFieldsFragment['changedSeats'][number]> {
  const seats = new Map<string, InstallLogFieldsFragment['changedSeats'][number]>();
  for (const log of logs) for (const seat of log.changedSeats) seats.set(seat.seatName, seat);
  return seats;
}
