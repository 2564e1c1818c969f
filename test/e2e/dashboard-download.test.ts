import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { browserSeghubSuite, browserSuitePolicy } from '../support/harness/browser-seghub.js';

/** The dashboard's Download button in a real headless Chromium against `npm start`. */
describe.runIf(browserSuitePolicy.run || browserSuitePolicy.missingInCi)(
  'downloading from the dashboard in Chromium',
  () => {
    const suite = browserSeghubSuite('dashboard-download', { startTimeoutMs: 60_000, pageTimeoutMs: 15_000 });
    let page: Page;
    let base: string;
    const pageErrors: string[] = [];
    beforeAll(() => {
      ({ page, base } = suite.current());
      page.on('pageerror', (error) => pageErrors.push(error.message));
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
  },
);
