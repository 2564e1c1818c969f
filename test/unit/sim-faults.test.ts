import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/sim/faults.js';
import { seededRandom } from '../../src/sim/random.js';
import { SimStatusError } from '../../src/sim/status.js';

const never = new AbortController().signal;

async function outcome(faults: FaultInjector, method: Parameters<FaultInjector['before']>[0]) {
  return faults.before(method, never).then(
    () => 'ok',
    (err: unknown) => (err instanceof SimStatusError ? status[err.code] : 'other'),
  );
}

describe('FaultInjector', () => {
  it('fails about the configured share of calls, per method, with the configured code', async () => {
    const faults = new FaultInjector(
      { errorRate: { GetTask: 0.25 }, errorCode: status.RESOURCE_EXHAUSTED },
      seededRandom(1),
    );
    const results = await Promise.all(Array.from({ length: 2000 }, () => outcome(faults, 'GetTask')));
    const failed = results.filter((r) => r === 'RESOURCE_EXHAUSTED').length;
    expect(failed).toBeGreaterThan(400);
    expect(failed).toBeLessThan(600);
    expect(results.filter((r) => r !== 'ok' && r !== 'RESOURCE_EXHAUSTED')).toEqual([]);
    expect(faults.injectedErrors()).toEqual({ GetTask: failed });
    expect(await outcome(faults, 'ListSegments')).toBe('ok');
  });

  it('lets a named method override the wildcard', async () => {
    const faults = new FaultInjector({ errorRate: { '*': 1, Check: 0 } }, seededRandom(2));
    expect(await outcome(faults, 'Check')).toBe('ok');
    expect(await outcome(faults, 'StartTask')).toBe('UNAVAILABLE');
  });

  it('is down exactly within the outage window', async () => {
    let now = 1000;
    const faults = new FaultInjector({}, seededRandom(3), () => now);
    faults.startOutage(500, 100);
    expect(await outcome(faults, 'Check')).toBe('ok');
    now = 1100;
    expect(faults.inOutage()).toBe(true);
    expect(await outcome(faults, 'CreateSegment')).toBe('UNAVAILABLE');
    now = 1599;
    expect(await outcome(faults, 'Check')).toBe('UNAVAILABLE');
    now = 1600;
    expect(await outcome(faults, 'Check')).toBe('ok');
  });

  it('holds a hung call until the caller gives up', async () => {
    const faults = new FaultInjector({ hang: { GetTask: true } }, seededRandom(4));
    const caller = new AbortController();
    let settled = false;
    const call = faults.before('GetTask', caller.signal).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    caller.abort();
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
  });
});
