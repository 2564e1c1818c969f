import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

/** `npm start` as an operator runs it: embedded store, in-process defaults, Ctrl-C to stop. */
describe('npm start', () => {
  it('serves GraphiQL, stops cleanly on Ctrl-C, and finds its data again', async () => {
    const data = await tempDir('seghub-e2e');
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: data.dir };
    try {
      const first = spawnSeghub(env);
      await first.waitForLog((l) => l.msg === 'seghub is serving');
      const created = await first.waitForLog((l) => l.msg === 'initialised a new store');
      const page = await fetch(`http://localhost:${port}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>seghub</title>');

      first.signal('SIGINT');
      // npm re-raises the SIGINT it got once its child is done, as shells expect of Ctrl-C.
      expect([
        { code: 0, signal: null },
        { code: null, signal: 'SIGINT' },
      ]).toContainEqual(await first.exited);
      expect(first.logs.some((l) => l.msg === 'seghub stopped')).toBe(true);
      await expect(fetch(`http://localhost:${port}/healthz`)).rejects.toThrow();

      const second = spawnSeghub(env);
      const reopened = await second.waitForLog((l) => l.msg === 'opened an existing store');
      expect((reopened.keyspace as { createdAt: string }).createdAt).toBe(
        (created.keyspace as { createdAt: string }).createdAt,
      );
      second.signal('SIGINT');
      await second.exited;
      expect(second.logs.some((l) => l.msg === 'seghub stopped')).toBe(true);
    } finally {
      await data.remove();
    }
  }, 60_000);

  it('refuses a bad PORT with a message naming it', async () => {
    const seghub = spawnSeghub({ PORT: 'abc' });
    const { code } = await seghub.exited;
    expect(code).not.toBe(0);
    expect(seghub.stderr()).toMatch(/PORT: must be a whole number/);
  }, 30_000);

  // Regression (#22.5): today's main dies with a stack trace from the first mkdir under the file.
  it('refuses a DATA_DIR that is a file with a line naming it, exit 2', async () => {
    const data = await tempDir('seghub-e2e');
    const file = path.join(data.dir, 'not-a-directory');
    await writeFile(file, 'x');
    try {
      const seghub = spawnSeghub({ PORT: String(await freePort()), DATA_DIR: file });
      const { code } = await seghub.exited;
      expect(code).toBe(2);
      expect(seghub.stderr()).toContain(`DATA_DIR: must name a directory, but ${file} is a file`);
      expect(seghub.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await data.remove();
    }
  }, 30_000);
});
