import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();
const ARTIFACTS = fileURLToPath(new URL('../../.vitest-artifacts/dashboard/', import.meta.url));
const SEATS = [
  { name: 'console-1', ip: '10.20.0.1' },
  { name: 'console-2', ip: '10.20.0.2' },
  { name: 'console-3', ip: '10.20.0.3' },
];
/** A seat whose device the simulator makes fail. */
const FAILING = { name: 'console-4', ip: '10.20.0.4' };

/**
 * The dashboard in a real headless Chromium against `npm start` (embedded store) and the SDP
 * simulator, driven only through what an operator sees: roles, labels and words.
 */
describe.runIf(policy.run || policy.missingInCi)('the dashboard in Chromium', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let env: Record<string, string>;
  let seghub: SeghubProcess;
  let browser: TestBrowser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    sim = await startTestSimulator();
    // Slow enough that progress is seen between 0 and 100, quick enough for a test.
    sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 2500, jitter: 0.4 });
    sim.sim.platform('DEPLOY_PLATFORM').tasks.setDevice(FAILING.ip, { outcome: 'fail' });
    data = await tempDir('seghub-dashboard');
    await mkdir(ARTIFACTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: data.dir,
      INSTALL_POLL_MS: '200',
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    };
    seghub = await startSeghub();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (seghub && seghub.child.exitCode === null && seghub.child.signalCode === null)
      seghub.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });

  async function startSeghub(ready = 'leading: reconcilers started'): Promise<SeghubProcess> {
    const started = spawnSeghub(env);
    await started.waitForLog((line) => line.msg === ready, 60_000);
    return started;
  }

  const segmentsTable = () => page.getByRole('table', { name: 'Segments' });
  const segmentRow = (name: string) => segmentsTable().getByRole('row').filter({ hasText: name });
  const details = () => page.getByRole('region', { name: 'Segment details' });

  it('serves the page at / with its assets, and GraphiQL still at /graphql', async () => {
    const html = await fetch(`${base}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-store');
    const script = (await html.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    const asset = await fetch(`${base}${script}`, { method: 'HEAD' });
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    const graphiql = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('<title>seghub</title>');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    await page.goto(`${base}/`);
    await page.getByRole('status', { name: 'Live updates' }).filter({ hasText: 'Live' }).waitFor();
  });

  it('adds three seats', async () => {
    await page.getByRole('link', { name: 'Seats' }).click();
    for (const seat of SEATS) {
      await page.getByLabel('Seat name').fill(seat.name);
      await page.getByLabel('IP address').fill(seat.ip);
      await page.getByRole('button', { name: 'Add seat' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Saved seat ${seat.name}` })
        .waitFor();
    }
    const rows = page.getByRole('table', { name: 'Seats' }).getByRole('row');
    await rows.filter({ hasText: 'console-3' }).waitFor();
    expect(await rows.count()).toBe(1 + SEATS.length);
    await page.getByText('3 seats').waitFor();
  });

  it('uploads a segment with a progress bar of bytes sent, and sees it become SYNCED', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    // Several MiB so the browser reports progress while it sends.
    const zip = await buildSegmentZip(
      RADAR_MANIFEST,
      { 'bin/radar': randomBytes(6 * 1024 * 1024) },
      { compression: 'STORE' },
    );
    const seen = await recordProgress(page, 'Upload progress');
    await page.getByLabel('Segment file (.zip or .mpk)').setInputFiles({
      name: 'radar-display-3.5.1.zip',
      mimeType: 'application/zip',
      buffer: zip,
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded radar-display 3.5.1' }).waitFor();
    const values = await seen();
    expect(values.length).toBeGreaterThan(0);
    expect(Math.max(...values)).toBe(100);

    await segmentRow('radar-display').getByText('Synced').waitFor({ timeout: 20_000 });
    await expect(segmentRow('radar-display').textContent()).resolves.toContain('3.5.1');
    await details()
      .getByRole('heading', { name: /radar-display/ })
      .waitFor();
  });

  it('shows a refused upload in words', async () => {
    await page.getByLabel('Segment file (.zip or .mpk)').setInputFiles({
      name: 'notes.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('this is a text file, not a zip archive\n'),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Upload refused' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The file is not a valid segment archive');
  });

  it('installs on three seats and follows overall and per-seat progress to 100 %', async () => {
    const panel = details();
    await panel.getByLabel('Select all seats').check();
    await panel.getByText('3 selected · 3 to install · 0 to uninstall').waitFor();
    const overall = panel.getByRole('progressbar', { name: 'Overall progress' });
    await panel.getByRole('button', { name: 'Start install' }).click();
    await overall.waitFor();
    // Caught moving: some value strictly between 0 and 100 before the end.
    await expect.poll(() => percentOf(overall), { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
    const layoutShift = await measureLayoutShift(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'install-running-1280x800.png') });
    await expect.poll(() => percentOf(overall), { timeout: 30_000, interval: 100 }).toBe(100);
    for (const seat of SEATS) {
      const bar = panel.getByRole('progressbar', { name: `Install progress of ${seat.name}` });
      expect(await percentOf(bar)).toBe(100);
    }
    await panel.getByRole('region', { name: 'Install progress' }).getByText('Succeeded').waitFor();
    // Nothing on the page moved while the bars did, up to the record's end (Chromium's Layout
    // Instability API). A line of text appearing or going away in the panel scores about 0.0025;
    // sub-pixel reflows of a badge at the viewport's edge a few millionths.
    expect(await layoutShift()).toBeLessThan(0.0005);
    // The table's seat count follows live (segmentUpdated), without a reload.
    await segmentRow('radar-display')
      .getByRole('cell', { name: '3', exact: true })
      .waitFor({ timeout: 10_000 });
  }, 60_000);

  it('lists the past install record with its outcome', async () => {
    const records = details().getByRole('table', { name: 'Install records' });
    const row = records.getByRole('row').filter({ hasText: 'Succeeded' });
    await row.waitFor();
    expect(await row.textContent()).toContain('+3 −0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-390x844.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('highlights a seat that failed, and the record that failed with it', async () => {
    await page.getByRole('link', { name: 'Seats' }).click();
    await page.getByLabel('Seat name').fill(FAILING.name);
    await page.getByLabel('IP address').fill(FAILING.ip);
    await page.getByRole('button', { name: 'Add seat' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved seat ${FAILING.name}` })
      .waitFor();
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'Open radar-display 3.5.1' }).click();

    const panel = details();
    await panel.getByLabel('Select all seats').check();
    await panel.getByText('4 selected · 1 to install · 0 to uninstall').waitFor();
    await panel.getByRole('button', { name: 'Start install' }).click();
    const progress = panel.getByRole('region', { name: 'Install progress' });
    await progress.getByText('Failed', { exact: true }).first().waitFor({ timeout: 20_000 });
    const failedSeat = progress.getByRole('listitem').filter({ hasText: FAILING.name });
    await failedSeat.getByText('Failed').waitFor();
    expect(await failedSeat.getAttribute('class')).toContain('failed');
    await expect
      .poll(() => percentOf(progress.getByRole('progressbar', { name: 'Overall progress' })))
      .toBe(100);
    const records = panel.getByRole('table', { name: 'Install records' }).getByRole('row');
    await records.nth(1).getByText('Failed').waitFor();
    await records.nth(2).getByText('Succeeded').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'install-failed-1280x800.png'), fullPage: true });
  }, 60_000);

  it('refuses to delete an installed segment, and deletes another after confirmation', async () => {
    await details().getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete radar-display 3.5.1?' }).waitFor();
    await page.getByRole('button', { name: 'Delete segment' }).click();
    await page.getByRole('alert').filter({ hasText: 'The segment is still installed on seats' }).waitFor();

    const mpk = await buildSegmentZip({ name: 'weather-feed', version: '1.0.0' }, { 'data/feed': 'x' });
    await page.getByLabel('Segment file (.zip or .mpk)').setInputFiles({
      name: 'weather-feed-1.0.0.mpk',
      mimeType: 'application/octet-stream',
      buffer: mpk,
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await segmentRow('weather-feed').getByText('Synced').waitFor({ timeout: 20_000 });
    expect(await segmentRow('weather-feed').textContent()).toContain('15s store');

    // The search narrows the table to the matching name.
    await page.getByLabel('Search segments').fill('weather');
    await expect.poll(() => segmentsTable().getByRole('row').count()).toBe(2);
    await page.getByRole('button', { name: 'Open weather-feed 1.0.0' }).click();
    await details().getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete weather-feed 1.0.0?' });
    await dialog.getByRole('button', { name: 'Delete segment' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Deleted weather-feed 1.0.0.' })
      .waitFor({ timeout: 20_000 });
    await segmentRow('weather-feed').waitFor({ state: 'detached' });
    await page.getByLabel('Search segments').fill('');
    await segmentRow('radar-display').waitFor();
  });

  it('reconnects by itself when seghub restarts', async () => {
    const badge = page.getByRole('status', { name: 'Live updates' });
    seghub.signal('SIGTERM');
    await seghub.exited;
    await badge.filter({ hasText: 'Reconnecting' }).waitFor();
    seghub = await startSeghub('seghub is serving');
    await badge.filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    // Live data flows again: a segment another client uploads appears in the table by itself.
    await uploadOverHttp(
      base,
      'gateway-2.0.0.zip',
      await buildSegmentZip({ name: 'gateway', version: '2.0.0' }),
    );
    await segmentRow('gateway').waitFor();
    const unexpected = pageErrors.filter(
      (text) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(text),
    );
    expect(unexpected).toEqual([]);
  }, 60_000);
});

/** An upload by some other client than the page: a GraphQL multipart request. */
async function uploadOverHttp(base: string, fileName: string, bytes: Buffer): Promise<void> {
  const form = new FormData();
  const query = 'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }';
  form.append('operations', JSON.stringify({ query, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), fileName);
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    body: form,
    headers: { 'x-graphql-yoga-csrf': '1' },
  });
  expect(await response.json()).toEqual({ data: { uploadSegment: { __typename: 'UploadSegmentSuccess' } } });
}

/**
 * Starts summing the page's layout shifts (each the share of the viewport that moved, times how far):
 * what a reader sees as content jumping. Answers the sum so far.
 */
async function measureLayoutShift(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const state = { total: 0 };
    (window as unknown as { __shift: typeof state }).__shift = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[]) {
        if (!entry.hadRecentInput) state.total += entry.value;
      }
    }).observe({ type: 'layout-shift' });
  });
  return () => page.evaluate(() => (window as unknown as { __shift: { total: number } }).__shift.total);
}

async function percentOf(bar: Locator): Promise<number> {
  return Number(await bar.getAttribute('aria-valuenow'));
}

/** Records, in the page, every value the named progress bar shows; answers a reader of them. */
async function recordProgress(page: Page, label: string): Promise<() => Promise<number[]>> {
  await page.evaluate((name) => {
    const values: number[] = [];
    (window as unknown as { __progress: number[] }).__progress = values;
    new MutationObserver(() => {
      const bar = document.querySelector(`[role="progressbar"][aria-label="${name}"]`);
      const value = bar?.getAttribute('aria-valuenow');
      if (value !== null && value !== undefined && values.at(-1) !== Number(value))
        values.push(Number(value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, label);
  return () => page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
}
