import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { browserSeghubSuite, browserSuitePolicy } from '../support/harness/browser-seghub.js';

const MIB = 1024 * 1024;

/**
 * The dashboard uploads through an upload session over tus (tus-js-client), and an upload cut by
 * a page reload goes on from where it stopped when the same file is chosen again.
 */
describe.runIf(browserSuitePolicy.run || browserSuitePolicy.missingInCi)(
  'dashboard uploads over tus in Chromium',
  () => {
    const suite = browserSeghubSuite('dashboard-tus', { startTimeoutMs: 120_000, pageTimeoutMs: 20_000 });
    let page: Page;
    let base: string;
    let data: { dir: string };
    beforeAll(() => {
      const current = suite.current();
      ({ page, base } = current);
      data = { dir: current.dataDir };
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
      const cdp = await page.context().newCDPSession(page);
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
  },
);
