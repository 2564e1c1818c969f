/**
 * Keys kept in UTF-8 byte order, which is what etcd uses. JavaScript's `<` compares UTF-16 code
 * units, which disagrees with byte order once astral characters (surrogate pairs) meet characters
 * in U+E000..U+FFFF, so keys are compared by code point instead.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Move surrogates above U+E000..U+FFFF so code-unit order becomes code-point order.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** A place between keys: `chunk === chunks.length` is the end. */
export interface KeyPosition {
  chunk: number;
  index: number;
}

const MAX_CHUNK = 1024;

/**
 * A sorted set of keys as a list of bounded sorted chunks: inserts and deletes move at most one
 * chunk's worth of elements instead of the whole key set, and lookups stay O(log n).
 */
export class SortedKeys {
  private chunks: string[][] = [];
  private total = 0;

  static fromSorted(keys: readonly string[]): SortedKeys {
    const set = new SortedKeys();
    for (let i = 0; i < keys.length; i += MAX_CHUNK / 2) {
      set.chunks.push(keys.slice(i, i + MAX_CHUNK / 2));
    }
    set.total = keys.length;
    return set;
  }

  get size(): number {
    return this.total;
  }

  /** Adds `key`; false when it was already there. */
  insert(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.total = 1;
      return true;
    }
    const pos = this.partition((k) => compareKeys(k, key) < 0);
    const chunkIndex = Math.min(pos.chunk, this.chunks.length - 1);
    const chunk = this.chunks[chunkIndex]!;
    const index = pos.chunk === chunkIndex ? pos.index : chunk.length;
    if (chunk[index] === key) return false;
    chunk.splice(index, 0, key);
    this.total++;
    if (chunk.length > MAX_CHUNK) {
      this.chunks.splice(chunkIndex + 1, 0, chunk.splice(MAX_CHUNK / 2));
    }
    return true;
  }

  /** Removes `key`; false when it was not there. */
  remove(key: string): boolean {
    const pos = this.partition((k) => compareKeys(k, key) < 0);
    const chunk = this.chunks[pos.chunk];
    if (chunk?.[pos.index] !== key) return false;
    chunk.splice(pos.index, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(pos.chunk, 1);
    return true;
  }

  /**
   * First position whose key fails `before`. `before` must hold for a leading run of the keys and
   * fail for the rest (e.g. "sorts before X").
   */
  partition(before: (key: string) => boolean): KeyPosition {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (before(chunk[chunk.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    const chunk = this.chunks[lo];
    if (chunk === undefined) return { chunk: lo, index: 0 };
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (before(chunk[mid]!)) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, index: a };
  }

  /** Keys from `from` (inclusive) to `to` (exclusive); O(number of chunks spanned). */
  countBetween(from: KeyPosition, to: KeyPosition): number {
    if (compareKeyPositions(from, to) >= 0) return 0;
    if (from.chunk === to.chunk) return to.index - from.index;
    let n = this.chunks[from.chunk]!.length - from.index;
    for (let c = from.chunk + 1; c < to.chunk; c++) n += this.chunks[c]!.length;
    return n + to.index;
  }

  /** Keys from `from` (inclusive) to `to` (exclusive), in order. */
  *between(from: KeyPosition, to: KeyPosition): Generator<string> {
    let { chunk: c, index: i } = from;
    while (c < to.chunk || (c === to.chunk && i < to.index)) {
      const chunk = this.chunks[c];
      if (chunk === undefined) return;
      if (i >= chunk.length) {
        c++;
        i = 0;
        continue;
      }
      yield chunk[i]!;
      i++;
    }
  }

  *[Symbol.iterator](): Generator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }
}

function compareKeyPositions(a: KeyPosition, b: KeyPosition): number {
  return a.chunk === b.chunk ? a.index - b.index : a.chunk - b.chunk;
}
