import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDashboard } from '../../src/server/dashboard.js';
import { tempDir } from '../support/harness/temp.js';

/** The file server of the built dashboard, against a folder laid out like `vite build` leaves it. */
describe('dashboard files', () => {
  let temp: { dir: string; remove: () => Promise<void> };
  let dist: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    temp = await tempDir('seghub-dashboard-files');
    dist = path.join(temp.dir, 'dist');
    await writeFile(path.join(temp.dir, 'secret.txt'), 'not to be served');
    const handler = withDashboard((_req, res) => res.writeHead(299).end('next'), {
      dir: dist,
      log: pino({ level: 'silent' }),
    });
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await temp.remove();
  });

  async function build(asset: string, mtime: Date) {
    await rm(dist, { recursive: true, force: true });
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await writeFile(path.join(dist, 'assets', asset), 'console.log(1);');
    await writeFile(path.join(dist, 'index.html'), `<script src="/assets/${asset}"></script>`);
    await utimes(path.join(dist, 'index.html'), mtime, mtime);
  }

  it('says how to build the page while there is none', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });

  it('serves the page uncached and hashed assets as immutable, GET and HEAD only', async () => {
    await build('index-aaaa.js', new Date(1_000_000));
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/assets/index-aaaa.js');

    const asset = await fetch(`${base}/assets/index-aaaa.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1);');

    const head = await fetch(`${base}/assets/index-aaaa.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('15');
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 404 for unknown files and never leaves the build folder', async () => {
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    for (const sneaky of [
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..\\..\\secret.txt',
    ]) {
      const response = await fetch(`${base}${sneaky}`);
      // 404 here, or (for the one URL parsing turns into /secret.txt) not a dashboard path at all.
      expect([404, 299]).toContain(response.status);
      expect(await response.text()).not.toContain('not to be served');
    }
  });

  it('hands every other path to the API', async () => {
    for (const other of ['/graphql', '/healthz', '/readyz', '/metrics', '/secret.txt']) {
      expect((await fetch(`${base}${other}`)).status).toBe(299);
    }
  });

  it('serves a new build without a restart', async () => {
    await build('index-bbbb.js', new Date(2_000_000));
    expect((await fetch(`${base}/assets/index-bbbb.js`)).status).toBe(200);
    expect((await fetch(`${base}/assets/index-aaaa.js`)).status).toBe(404);
  });
});
