import { invalidArgument } from '../status.js';
import type { KeyEntry } from './task-files.js';
import type { ValidStartRequest } from './validate-request.js';

/**
 * StartTask's idempotency keys: the task each key started, and the starts still on their way to
 * disk. A call with a key in use waits for that start to land, then replays it; the same key with a
 * different request is refused.
 */
export class IdempotencyKeys {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly entries: Map<string, KeyEntry>) {}

  /**
   * The start under `key` on its way to disk, if any. Wait for it and ask again, and look the key
   * up (`earlier`) and start under it only once this answers undefined, in the same tick.
   */
  starting(key: string): Promise<unknown> | undefined {
    return this.running.get(key)?.catch(() => undefined);
  }

  /** The entry of the task started under the request's key, if any. */
  earlier(valid: ValidStartRequest): KeyEntry | undefined {
    const earlier = this.entries.get(valid.idempotencyKey);
    if (earlier && earlier.fingerprint !== valid.fingerprint) {
      throw invalidArgument(
        `idempotency_key ${JSON.stringify(valid.idempotencyKey)} was already used for a different request (task ${earlier.taskId})`,
      );
    }
    return earlier;
  }

  /** Waits for `creating`, the start under `key`; meanwhile `starting(key)` answers it. */
  async start<T>(key: string, creating: Promise<T>): Promise<T> {
    this.running.set(key, creating);
    try {
      return await creating;
    } finally {
      this.running.delete(key);
    }
  }

  add(entry: KeyEntry): void {
    this.entries.set(entry.key, entry);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  list(): KeyEntry[] {
    return [...this.entries.values()];
  }

  /** Waits for every start on its way to disk. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
