import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();
const MIB = 1024 * 1024;

/**
 * The dashboard uploads through an upload session over tus (tus-js-client), and an upload cut by
 * a page reload goes on from where it stopped when the same file is chosen again.
 */
describe.runIf(policy.run || policy.missingInCi)('dashboard uploads over tus in Chromium', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let seghub: SeghubProcess;
  let browser: TestBrowser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    sim = await startTestSimulator();
    data = await tempDir('seghub-dashboard-tus');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    seghub = spawnSeghub({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: data.dir,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    });
    await seghub.waitForLog((line) => line.msg === 'seghub is serving', 120_000);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });

  const fileInput = () => page.getByLabel('Segment file (.zip or .mpk)');
  const progress = () => page.getByRole('progressbar', { name: 'Upload progress' });
  const percent = async () => Number(await progress().getAttribute('aria-valuenow'));
  /** Bytes seghub received and kept over tus, from /metrics: each byte of a resumed upload once. */
  const bytesReceived = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    return Number(/^seghub_upload_session_bytes_total (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it('resumes an upload cut by a page reload, and records the segment once', async () => {
    const zip = await buildSegmentZip(
      { name: 'chart-plotter', version: '2.0.0' },
      { 'bin/plotter': randomBytes(8 * MIB) },
      { compression: 'STORE' },
    );
    // From disk, as an operator picks it: the same file has the same fingerprint after the reload.
    const file = path.join(data.dir, 'chart-plotter-2.0.0.zip');
    await writeFile(file, zip);
    await page.goto(`${base}/`);
    // A slow link (1 MiB/s up), so the reload comes while the bytes are on their way.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: MIB,
    });
    await fileInput().setInputFiles(file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(percent, { timeout: 30_000, interval: 100 }).toBeGreaterThan(20);
    const kept = await page.evaluate(() =>
      Object.keys(localStorage).filter((key) => key.startsWith('seghub.upload.')),
    );
    expect(kept).toHaveLength(1);
    await page.reload();
    // seghub keeps what arrived before the connection dropped (checkpointed when it notices).
    await expect.poll(bytesReceived, { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
    expect(await bytesReceived()).toBeLessThan(zip.length);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // The same file again: the page picks its session up and starts where the server stopped.
    await fileInput().setInputFiles(file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded chart-plotter 2.0.0' }).waitFor();
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('seghub.upload.'))),
    ).toEqual([]);
    // Sent once in two parts: the bytes before the reload were not sent again.
    expect(await bytesReceived()).toBe(zip.length);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const listed = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ segments(first: 10) { edges { node { name sha256 } } } }' }),
    });
    expect(await listed.json()).toEqual({
      data: { segments: { edges: [{ node: { name: 'chart-plotter', sha256 } }] } },
    });
  });
});
