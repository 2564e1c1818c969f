import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

interface Readiness {
  status: string;
  checks: { name: string; ok: boolean; reason?: string; details?: Record<string, unknown> }[];
}

async function readiness(base: string): Promise<{ code: number; body: Readiness }> {
  const res = await fetch(`${base}/readyz`);
  return { code: res.status, body: (await res.json()) as Readiness };
}

describe('seghub and its SDP platforms', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    sim = await startTestSimulator();
    data = await tempDir('seghub-sdp');
    app = await startTestApp(
      testConfig({
        DATA_DIR: data.dir,
        SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
        SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
        SDP_CALL_TIMEOUT_MS: '1000',
      }),
    );
  });

  afterAll(async () => {
    await app.stop();
    await sim.dispose();
    await data.remove();
  });

  it('is ready when both platforms answer their health checks, and says which is down when one is not', async () => {
    const up = await waitFor(async () => {
      const r = await readiness(app.base);
      return r.code === 200 && r;
    });
    expect(up.body.checks.map((c) => c.name)).toEqual(['store', 'sdp:DEPLOY_PLATFORM', 'sdp:STORE_15S']);

    sim.sim.platform('STORE_15S').faults.startOutage(60_000);
    const down = await readiness(app.base);
    expect(down.code).toBe(503);
    expect(down.body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'sdp:DEPLOY_PLATFORM', ok: true }),
        expect.objectContaining({
          name: 'sdp:STORE_15S',
          ok: false,
          reason: expect.stringMatching(/UNAVAILABLE|down/),
        }),
      ]),
    );

    sim.sim.platform('STORE_15S').faults.endOutage();
    expect((await readiness(app.base)).code).toBe(200);
  });

  it('counts SDP calls by platform, method and outcome at /metrics', async () => {
    sim.sim.platform('DEPLOY_PLATFORM').faults.startOutage(60_000);
    expect((await readiness(app.base)).code).toBe(503);
    sim.sim.platform('DEPLOY_PLATFORM').faults.endOutage();
    expect((await readiness(app.base)).code).toBe(200);

    const text = await (await fetch(`${app.base}/metrics`)).text();
    const count = (labels: string) => {
      const line = new RegExp(`^seghub_sdp_call_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm');
      return Number(line.exec(text)?.[1] ?? 0);
    };
    expect(count('target="DEPLOY_PLATFORM",method="Check",code="UNAVAILABLE"')).toBeGreaterThanOrEqual(1);
    expect(count('target="DEPLOY_PLATFORM",method="Check",code="OK"')).toBeGreaterThanOrEqual(1);
    expect(count('target="STORE_15S",method="Check",code="OK"')).toBeGreaterThanOrEqual(2);
  });
});

describe('seghub without SDP addresses', () => {
  it('runs the simulator in-process and keeps its data under DATA_DIR', async () => {
    const data = await tempDir('seghub-insim');
    const app = await startTestApp(testConfig({ DATA_DIR: data.dir }));
    try {
      const ready = await waitFor(async () => {
        const r = await readiness(app.base);
        return r.code === 200 && r;
      });
      const sdp = ready.body.checks.filter((c) => c.name.startsWith('sdp:'));
      expect(sdp).toHaveLength(2);
      for (const check of sdp) expect(check.details?.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const simDirs = await readdir(path.join(data.dir, 'sdp-sim'));
      expect(simDirs.sort()).toEqual(['deploy-platform', 'store-15s']);
    } finally {
      await app.stop();
      await data.remove();
    }
  });
});
