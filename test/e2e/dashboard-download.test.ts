import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();

/** The dashboard's Download button in a real headless Chromium against `npm start`. */
describe.runIf(policy.run || policy.missingInCi)('downloading from the dashboard in Chromium', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let seghub: SeghubProcess;
  let browser: TestBrowser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    sim = await startTestSimulator();
    data = await tempDir('seghub-dashboard-download');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    seghub = spawnSeghub({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: data.dir,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    });
    await seghub.waitForLog((line) => line.msg === 'seghub is serving', 60_000);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });

  it('downloads the bytes of the open segment as its file name', async () => {
    const zip = await buildSegmentZip(
      RADAR_MANIFEST,
      { 'bin/radar': randomBytes(512 * 1024) },
      { compression: 'STORE' },
    );
    await uploadOk(`${base}/graphql`, { bytes: zip, fileName: 'radar-display-3.5.1.zip' });
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Open radar-display 3.5.1' }).click();
    const details = page.getByRole('region', { name: 'Segment details' });

    const downloading = page.waitForEvent('download');
    await details.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('radar-display-3.5.1.zip');
    const saved = await download.path();
    expect((await readFile(saved)).equals(zip)).toBe(true);
    expect(page.url()).toBe(`${base}/`);
    expect(pageErrors).toEqual([]);
  });
});
