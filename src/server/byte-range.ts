/**
 * The HTTP range and validator rules `/files/` follows (RFC 9110 sections 13 and 14), kept apart
 * from the streaming so that each rule can be tested alone.
 */

/** Inclusive byte positions, as `Content-Range` writes them. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangeAnswer =
  /** Send the whole representation (no range asked, an invalid or multi-range header, a failed If-Range). */
  | { kind: 'WHOLE' }
  | { kind: 'PARTIAL'; range: ByteRange }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'UNSATISFIABLE' };

const SINGLE_RANGE = /^bytes=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

/**
 * One `Range` header against a representation of `size` bytes. A header that is not a single valid
 * byte range is ignored (RFC 9110 14.2 allows it, and multiple ranges may be answered whole).
 */
export function rangeOf(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'WHOLE' };
  const match = SINGLE_RANGE.exec(header);
  if (!match) return { kind: 'WHOLE' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'WHOLE' };
  if (first === '') {
    // A suffix: the last N bytes (all of them when N exceeds the size); N = 0 asks for nothing.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'UNSATISFIABLE' };
    return { kind: 'PARTIAL', range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (!Number.isSafeInteger(start) || end < start) return { kind: 'WHOLE' };
  if (start >= size) return { kind: 'UNSATISFIABLE' };
  return { kind: 'PARTIAL', range: { start, end: Math.min(end, size - 1) } };
}

/** `?offset=N` (the seed's "seek") is `Range: bytes=N-`; undefined when absent, null when malformed. */
export function offsetRange(value: string | null): string | undefined | null {
  if (value === null) return undefined;
  return /^\d{1,16}$/.test(value) ? `bytes=${value}-` : null;
}

/** `If-None-Match` matches `etag` (weak comparison, `*` matches any current representation). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * Whether `If-Range` lets the range apply: an entity tag must match strongly (a weak one never
 * does), a date must equal `Last-Modified` exactly. Absent: the range applies.
 */
export function ifRangeHolds(header: string | undefined, etag: string, lastModified: Date): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Math.floor(lastModified.getTime() / 1000) * 1000;
}

/**
 * `Content-Disposition: attachment` naming `fileName` (RFC 6266): a plain `filename` for clients
 * that know no better, with anything outside printable ASCII replaced, and `filename*` in UTF-8
 * (RFC 5987/8187) carrying the name exactly.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
