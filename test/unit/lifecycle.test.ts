import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../src/app/lifecycle.js';

const log = pino({ level: 'silent' });

describe('Lifecycle', () => {
  it('stops the parts in reverse order of starting, each once', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle(log);
    for (const name of ['store', 'sdp', 'http']) {
      await lifecycle.start(
        name,
        () => name,
        (part) => void events.push(`stop ${part}`),
      );
    }
    lifecycle.onStop('controller', () => void events.push('stop controller'));
    await lifecycle.stop();
    await lifecycle.stop();
    expect(events).toEqual(['stop controller', 'stop http', 'stop sdp', 'stop store']);
  });

  it('stops what had started when a start fails part-way, and rethrows that failure', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle(log);
    const failure = new Error('port in use');
    const run = lifecycle.run(async (l) => {
      await l.start(
        'store',
        () => 'store',
        () => void events.push('stop store'),
      );
      await l.start(
        'sdp',
        () => 'sdp',
        () => void events.push('stop sdp'),
      );
      await l.start(
        'http',
        () => Promise.reject(failure),
        () => void events.push('stop http'),
      );
    });
    await expect(run).rejects.toBe(failure);
    // The part that failed to start registered nothing to stop.
    expect(events).toEqual(['stop sdp', 'stop store']);
  });

  it('still stops every other part when one fails to stop, then throws the first failure', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle(log);
    lifecycle.onStop('store', () => void events.push('stop store'));
    lifecycle.onStop('sdp', () => Promise.reject(new Error('sdp close failed')));
    lifecycle.onStop('http', () => Promise.reject(new Error('http close failed')));
    // http stops first, so its failure is the one thrown.
    await expect(lifecycle.stop()).rejects.toThrow('http close failed');
    expect(events).toEqual(['stop store']);
  });
});
