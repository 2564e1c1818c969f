/**
 * A set of small indexes as a bit string, base64-encoded: bit `i` is bit `i & 7` of byte `i >> 3`.
 * 100,000 seats take 16.7 KiB, where a JSON list of their indexes would take 600 KiB: it keeps
 * records that name a subset of many seats far below a store value's size limit.
 */
export class BitMask {
  private constructor(private readonly bytes: Uint8Array) {}

  static empty(size: number): BitMask {
    return new BitMask(new Uint8Array(Math.ceil(size / 8)));
  }

  static decode(encoded: string): BitMask {
    return new BitMask(new Uint8Array(Buffer.from(encoded, 'base64')));
  }

  static of(size: number, indexes: Iterable<number>): BitMask {
    const mask = BitMask.empty(size);
    for (const index of indexes) mask.set(index);
    return mask;
  }

  has(index: number): boolean {
    return index >= 0 && ((this.bytes[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }

  set(index: number): void {
    if (index < 0 || index >> 3 >= this.bytes.length)
      throw new RangeError(`bit ${index} is outside the mask`);
    this.bytes[index >> 3] = (this.bytes[index >> 3] ?? 0) | (1 << (index & 7));
  }

  encode(): string {
    return Buffer.from(this.bytes).toString('base64');
  }
}
