/**
 * A segment is identified by its name and version (SPEC, "The segment archive"). Both end up in etcd
 * keys and URLs, so they are checked strictly before anything is stored.
 */
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const NUMBER = '(?:0|[1-9][0-9]*)';
const PRERELEASE_ID = '[0-9A-Za-z-]+';
const VERSION_PATTERN = new RegExp(
  `^${NUMBER}(?:\\.${NUMBER})*(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?$`,
);
const MAX_VERSION_LENGTH = 64;

export function isValidSegmentName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** `3.5.1`, `10.0`, `4.21.2-rc.1`: dot-separated numbers, an optional `-prerelease`, at most 64 chars. */
export function isValidSegmentVersion(version: string): boolean {
  return version.length <= MAX_VERSION_LENGTH && VERSION_PATTERN.test(version);
}

/**
 * Orders valid versions oldest first, numerically per component. The order is total: two versions
 * compare equal only when they are the same string, so sorting is deterministic. Where the numbers
 * agree, fewer components sort first (`1.2` < `1.2.0`); a prerelease sorts before its release, and
 * prerelease identifiers follow semver (numeric ones numerically and before alphanumeric ones).
 */
export function compareVersions(a: string, b: string): number {
  const [releaseA, prereleaseA] = splitVersion(a);
  const [releaseB, prereleaseB] = splitVersion(b);
  const byRelease = compareIdentifierLists(releaseA, releaseB, compareDigits);
  if (byRelease !== 0) return byRelease;
  if (prereleaseA === undefined || prereleaseB === undefined) {
    // A release is newer than any of its prereleases.
    return (prereleaseA === undefined ? 1 : 0) - (prereleaseB === undefined ? 1 : 0);
  }
  return compareIdentifierLists(prereleaseA, prereleaseB, comparePrereleaseIds);
}

/**
 * What makes two versions the same segment (SPEC-FLEET D9): versions compared numerically, so
 * `1.0`, `1.0.0` and `1` are one identity, as are prerelease ids `rc.01` and `rc.1`. The order
 * (`compareVersions`) still tells them apart to stay total; identity must not, or one segment could
 * be uploaded twice under spellings a seat or an operator reads as equal. The id of a stored segment
 * keeps the version as uploaded; this key only guards uniqueness.
 */
export function versionIdentity(version: string): string {
  const [release, prerelease] = splitVersion(version);
  const numbers = release.map(withoutLeadingZeros);
  while (numbers.length > 1 && numbers.at(-1) === '0') numbers.pop();
  const base = numbers.join('.');
  if (prerelease === undefined) return base;
  const ids = prerelease.map((id) => (/^[0-9]+$/.test(id) ? withoutLeadingZeros(id) : id));
  return `${base}-${ids.join('.')}`;
}

const withoutLeadingZeros = (digits: string) => digits.replace(/^0+(?=.)/, '');

/** The id of a segment in the store and in messages: `name/version`. */
export function segmentId(name: string, version: string): string {
  return `${name}/${version}`;
}

/** The inverse of `segmentId`; undefined unless both parts are valid. */
export function parseSegmentId(id: string): { name: string; version: string } | undefined {
  const slash = id.indexOf('/');
  if (slash < 0) return undefined;
  const name = id.slice(0, slash);
  const version = id.slice(slash + 1);
  if (!isValidSegmentName(name) || !isValidSegmentVersion(version)) return undefined;
  return { name, version };
}

function splitVersion(version: string): [string[], string[] | undefined] {
  const dash = version.indexOf('-');
  if (dash < 0) return [version.split('.'), undefined];
  return [version.slice(0, dash).split('.'), version.slice(dash + 1).split('.')];
}

function compareIdentifierLists(a: string[], b: string[], compare: (x: string, y: string) => number): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compare(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

/**
 * Compares decimal strings of any length without converting them: `Number` would round beyond
 * 2^53 and make distinct versions equal.
 */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return Math.sign(x.length - y.length);
  if (x !== y) return x < y ? -1 : 1;
  // Prerelease ids may carry leading zeros (`01` vs `1`); the raw text keeps the order total.
  return a === b ? 0 : a < b ? -1 : 1;
}

function comparePrereleaseIds(a: string, b: string): number {
  const numericA = /^[0-9]+$/.test(a);
  const numericB = /^[0-9]+$/.test(b);
  if (numericA && numericB) return compareDigits(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}
