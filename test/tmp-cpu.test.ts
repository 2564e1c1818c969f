import { writeFile } from 'node:fs/promises';
import { it } from 'vitest';
import { buildSegmentZip } from './support/archives.js';
import { startSegmentApp } from './support/segment-app.js';
import { uploadOk } from './support/segments.js';

it('cpu per upload', async () => {
  const app = await startSegmentApp({ SYNC_RETRY_BASE_MS: '600000' });
  app.sim.sim.platform('DEPLOY_PLATFORM').faults.set({ errorRate: { CreateSegment: 1 } });
  const n = 400;
  const files: string[] = [];
  for (let i = 0; i < n + 20; i++) {
    const bytes = await buildSegmentZip(
      { name: `cpu-${i}`, version: '1.0.0', description: 'x' },
      { 'bin/app': Buffer.alloc(16384, i) },
      { compression: 'STORE' },
    );
    const p = `/tmp/cpu-${i}.zip`;
    await writeFile(p, bytes);
    files.push(p);
  }
  for (let i = n; i < n + 20; i++) await uploadOk(app.url, { path: files[i]! });
  const c0 = process.cpuUsage();
  const s = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < n) {
        const f = files[i++]!;
        await uploadOk(app.url, { path: f });
      }
    }),
  );
  const c = process.cpuUsage(c0);
  console.log(
    'UPLOAD per upload cpu µs',
    (c.user + c.system) / n,
    'user',
    c.user / n,
    'wall ms',
    performance.now() - s,
  );
  await app.stop();
}, 120000);
