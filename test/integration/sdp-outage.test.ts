import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { addSeats, followInstallLog, installOk, syncedSegment } from '../support/fixtures/installs.js';
import { getSegment, uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

const OUTAGE_MS = 30_000;

async function readiness(base: string) {
  const res = await fetch(`${base}/readyz`);
  return { code: res.status, body: (await res.json()) as { checks: { name: string; ok: boolean }[] } };
}

/**
 * The hardening issue's outage: the deployment platform is down for 30 s while a segment waits to
 * be created on it and an install is being polled. seghub backs off, says so at /readyz, and
 * finishes both once the platform is back, starting nothing twice.
 */
describe('SDP down for 30 s during create-sync and install polling', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    // Default retry budget (8 attempts); a base of 500 ms doubles past 30 s within it.
    app = await startSegmentApp({ SYNC_RETRY_BASE_MS: '500', INSTALL_POLL_MS: '100' });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('backs off, reports it, and completes everything once SDP returns', async () => {
    const platform = app.sim.sim.platform('DEPLOY_PLATFORM');
    const seats = await addSeats(app.url, 3, 'outage');
    const installed = await syncedSegment(app.url, 'outage-installed');
    platform.tasks.setBehaviour({ durationMs: 2000, jitter: 0 });
    const starts: string[] = [];
    platform.tasks.events.on('started', (task) => starts.push(task.idempotencyKey));
    const record = await installOk(
      app.url,
      installed.id,
      seats.map((s) => s.id),
    );
    const client = wsClient(app.url);
    const following = followInstallLog(client, record.id);
    await waitFor(() => starts.length === 1, { message: 'the install task started' });

    platform.faults.startOutage(OUTAGE_MS);
    const pending = await uploadOk(app.url, {
      fileName: 'outage-pending.zip',
      bytes: await buildSegmentZip({ name: 'outage-pending', version: '1.0.0' }),
    });
    const down = await readiness(app.base);
    expect(down.code).toBe(503);
    expect(down.body.checks).toContainEqual(
      expect.objectContaining({ name: 'sdp:DEPLOY_PLATFORM', ok: false }),
    );
    // The last state read while the platform was still down: a retry due just as the outage ends
    // may succeed before a read made after it.
    let during = null as Awaited<ReturnType<typeof getSegment>>;
    await waitFor(
      async () => {
        const read = await getSegment(app.url, pending.id);
        if (!platform.faults.inOutage()) return true;
        during = read;
        return false;
      },
      { timeoutMs: OUTAGE_MS + 5000, intervalMs: 250 },
    );
    expect(during?.sync.status).toBe('PENDING');
    // Backing off: a handful of attempts in 30 s, not one per poll.
    expect(during?.sync.attempts).toBeGreaterThanOrEqual(2);
    expect(during?.sync.attempts).toBeLessThanOrEqual(7);

    await waitFor(async () => (await readiness(app.base)).code === 200, { message: '/readyz ready again' });
    // The next attempt is whenever the backoff scheduled it (up to half a minute away by now).
    const dueInMs = Math.max(0, Date.parse(during?.sync.nextAttemptAt ?? '') - Date.now() || 0);
    const synced = await waitForSyncStatus(app.url, pending.id, 'SYNCED', dueInMs + 20_000);
    expect(synced.remoteExtra?.uid).toBeTruthy();
    const logs = await following;
    await client.dispose();
    expect(logs.at(-1)).toMatchObject({ status: 'SUCCEEDED', percent: 100 });
    expect(starts).toHaveLength(1);
    expect(platform.segments.stats().created).toBe(2);
  }, 150_000);
});
