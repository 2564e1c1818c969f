import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from './browser.js';
import { startTestSimulator, type TestSimulator } from './sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from './seghub-process.js';
import { freePort, tempDir } from './temp.js';

/** Whether a suite in Chromium runs here (and must, under CI=true). */
export const browserSuitePolicy = chromiumSuitePolicy();

export interface BrowserSeghub {
  page: Page;
  /** `http://127.0.0.1:<port>` of the seghub process. */
  base: string;
  /** Its data directory (scratch files may go there too). */
  dataDir: string;
}

/**
 * For a suite: seghub as `npm start` runs it (with a simulator and a data directory of its own) and
 * one page of a headless Chromium with outside requests blocked, started before the suite's tests
 * and stopped after them.
 */
export function browserSeghubSuite(
  label: string,
  options: { startTimeoutMs: number; pageTimeoutMs: number },
): { current: () => BrowserSeghub } {
  let sim: TestSimulator | undefined;
  let data: { dir: string; remove: () => Promise<void> } | undefined;
  let seghub: SeghubProcess | undefined;
  let browser: TestBrowser | undefined;
  let current: BrowserSeghub | undefined;

  beforeAll(async () => {
    if (browserSuitePolicy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    sim = await startTestSimulator();
    data = await tempDir(`seghub-${label}`);
    const port = await freePort();
    seghub = spawnSeghub({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: data.dir,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    });
    await seghub.waitForLog((line) => line.msg === 'seghub is serving', options.startTimeoutMs);
    browser = await launchChromium();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(options.pageTimeoutMs);
    current = { page, base: `http://127.0.0.1:${port}`, dataDir: data.dir };
  }, options.startTimeoutMs + 60_000);

  afterAll(async () => {
    await browser?.close();
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });
  return { current: () => current! };
}
