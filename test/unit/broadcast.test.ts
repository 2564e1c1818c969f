import { describe, expect, it } from 'vitest';
import { Broadcast } from '../../src/util/broadcast.js';
import { waitFor } from '../support/harness/wait-for.js';

interface Event {
  readonly n: number;
  readonly full: boolean;
}

/** A source the test pushes events into; `stopped` records that its signal aborted. */
function pushSource() {
  const pending: Array<Event | Error | 'end'> = [];
  let wake: (() => void) | undefined;
  const state = { stopped: false };
  const push = (item: Event | Error | 'end') => {
    pending.push(item);
    wake?.();
  };
  async function* source(signal: AbortSignal): AsyncGenerator<Event> {
    signal.addEventListener('abort', () => {
      state.stopped = true;
      wake?.();
    });
    for (;;) {
      const item = pending.shift();
      if (item === 'end' || signal.aborted) return;
      if (item instanceof Error) throw item;
      if (item) yield item;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return { source, push, state };
}

function broadcastOf(source: (signal: AbortSignal) => AsyncGenerator<Event>, maxBacklog = 3) {
  const closed = { count: 0 };
  const broadcast = new Broadcast<Event>(source, {
    catchUp: (latest) => ({ n: latest.n, full: true }),
    maxBacklog,
    onClose: () => closed.count++,
  });
  return { broadcast, closed };
}

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

const ev = (n: number): Event => ({ n, full: false });

describe('broadcast', () => {
  it('hands every reader the very same event objects, in order', async () => {
    const { source, push } = pushSource();
    const { broadcast } = broadcastOf(source);
    const a = broadcast.read(new AbortController().signal);
    const b = broadcast.read(new AbortController().signal);
    const events = [ev(1), ev(2), ev(3)];
    for (const event of events) push(event);
    const [fromA, fromB] = await Promise.all([take(a, 3), take(b, 3)]);
    expect(fromA).toEqual(events);
    for (const [i, event] of fromA.entries()) expect(fromB[i]).toBe(event);
  });

  it('gives a late reader one shared catch-up of the latest event, then what follows', async () => {
    const { source, push } = pushSource();
    const { broadcast } = broadcastOf(source);
    const first = broadcast.read(new AbortController().signal);
    push(ev(1));
    push(ev(2));
    await take(first, 2);
    const late1 = broadcast.read(new AbortController().signal);
    const late2 = broadcast.read(new AbortController().signal);
    push(ev(3));
    const [one, two] = await Promise.all([take(late1, 2), take(late2, 2)]);
    expect(one).toEqual([{ n: 2, full: true }, ev(3)]);
    expect(two[0]).toBe(one[0]);
  });

  it('replaces the backlog of a reader that fell maxBacklog behind with a catch-up', async () => {
    const { source, push } = pushSource();
    const { broadcast } = broadcastOf(source, 3);
    const slow = broadcast.read(new AbortController().signal);
    for (let n = 1; n <= 5; n++) push(ev(n));
    push('end');
    await waitFor(() => !broadcast.open, { message: 'source ended' });
    // 1..3 queued, 4 overflowed them into a catch-up of 4, then 5 followed.
    expect(await take(slow, 10)).toEqual([{ n: 4, full: true }, ev(5)]);
  });

  it('stops its source when the last reader leaves, and a reader may leave before it reads', async () => {
    const { source, push, state } = pushSource();
    const { broadcast, closed } = broadcastOf(source);
    const leaving = new AbortController();
    broadcast.read(leaving.signal); // never iterated
    const staying = new AbortController();
    const reader = broadcast.read(staying.signal);
    push(ev(1));
    expect(await take(reader, 1)).toEqual([ev(1)]);
    leaving.abort();
    expect(broadcast.open).toBe(true);
    staying.abort();
    expect(await reader.next()).toEqual({ done: true, value: undefined });
    await waitFor(() => state.stopped, { message: 'source stopped' });
    expect(broadcast.open).toBe(false);
    expect(closed.count).toBe(1);
  });

  it('ends a reader waiting for an event as soon as it leaves, by its signal or by return()', async () => {
    const { source, push } = pushSource();
    const { broadcast } = broadcastOf(source);
    const aborted = new AbortController();
    const byAbort = broadcast.read(aborted.signal);
    const byReturn = broadcast.read(new AbortController().signal);
    const staying = broadcast.read(new AbortController().signal);
    const pendingAbort = byAbort.next();
    const pendingReturn = byReturn.next();
    aborted.abort();
    expect(await pendingAbort).toEqual({ done: true, value: undefined });
    await byReturn.return?.();
    expect(await pendingReturn).toEqual({ done: true, value: undefined });
    push(ev(1));
    expect(await take(staying, 1)).toEqual([ev(1)]);
    expect(await byAbort.next()).toEqual({ done: true, value: undefined });
  });

  it('ends every reader when the source ends, after what it had queued', async () => {
    const { source, push } = pushSource();
    const { broadcast, closed } = broadcastOf(source);
    const reader = broadcast.read(new AbortController().signal);
    push(ev(1));
    push('end');
    expect(await take(reader, 5)).toEqual([ev(1)]);
    expect(closed.count).toBe(1);
  });

  it('passes the source failure to every reader', async () => {
    const { source, push } = pushSource();
    const { broadcast } = broadcastOf(source);
    const a = broadcast.read(new AbortController().signal);
    const b = broadcast.read(new AbortController().signal);
    push(ev(1));
    push(new Error('store unavailable'));
    for (const reader of [a, b]) {
      expect(await reader.next()).toEqual({ done: false, value: ev(1) });
      await expect(reader.next()).rejects.toThrow('store unavailable');
    }
  });

  describe('polled', () => {
    /** A polled reader that takes everything it is woken for; `log` is what it took, in order. */
    function poller(reader: ReturnType<Broadcast<Event>['read']>) {
      const log: Array<number | 'end' | string> = [];
      const drain = () => {
        for (;;) {
          let next: IteratorResult<Event, undefined> | undefined;
          try {
            next = reader.poll();
          } catch (error) {
            log.push(`failed: ${(error as Error).message}`);
            return;
          }
          if (!next) return reader.onReady(drain);
          if (next.done) return void log.push('end');
          log.push(next.value.n);
        }
      };
      drain();
      return log;
    }

    it('is woken once per delivery and takes each event in order, the same objects as a reader by next()', async () => {
      const { source, push } = pushSource();
      const { broadcast } = broadcastOf(source, 100);
      const polled = broadcast.read(new AbortController().signal);
      const log = poller(polled);
      const other = broadcast.read(new AbortController().signal);
      const first = ev(1);
      push(first);
      push(ev(2));
      push(ev(3));
      await waitFor(() => log.length === 3, { message: 'three events polled' });
      expect(log).toEqual([1, 2, 3]);
      expect((await other.next()).value).toBe(first);
      expect(polled.poll()).toBeUndefined();
    });

    it('sees the end, the failure, and its own leaving', async () => {
      const ended = pushSource();
      const endLog = poller(broadcastOf(ended.source).broadcast.read(new AbortController().signal));
      ended.push(ev(1));
      ended.push('end');
      await waitFor(() => endLog.length === 2, { message: 'the end polled' });
      expect(endLog).toEqual([1, 'end']);

      const failing = pushSource();
      const failLog = poller(broadcastOf(failing.source).broadcast.read(new AbortController().signal));
      failing.push(new Error('store unavailable'));
      await waitFor(() => failLog.length === 1, { message: 'the failure polled' });
      expect(failLog).toEqual(['failed: store unavailable']);

      const leaving = pushSource();
      const { broadcast, closed } = broadcastOf(leaving.source);
      const abort = new AbortController();
      const leaveLog = poller(broadcast.read(abort.signal));
      abort.abort();
      // Woken at once, inside the abort: nothing else has to happen first.
      expect(leaveLog).toEqual(['end']);
      expect(closed.count).toBe(1);
      await waitFor(() => leaving.state.stopped, { message: 'the source stopped' });
    });
  });
});
