import { randomBytes } from 'node:crypto';

const SHA256 = /^[0-9a-f]{64}$/;
const STAGED = /^([0-9a-f]{64})\.[0-9a-f]+\.staged$/;

export const PART_SUFFIX = '.part';

/** Lowercase hex only: anything else could turn into a path such as `../x`. */
export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

export function assertSha256(value: string): void {
  if (!isSha256(value)) throw new RangeError(`not a lowercase hex SHA-256: ${JSON.stringify(value)}`);
}

/** `<label>-<random>.part`; the label only helps a person reading the directory. */
export function partName(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  return `${safe}-${randomToken()}${PART_SUFFIX}`;
}

/** The random part keeps two writers of the same content from colliding before `place`. */
export function stagedName(sha256: string): string {
  return `${sha256}.${randomToken()}.staged`;
}

/** The SHA-256 a staged file's name declares, or undefined when the name is not a staged one. */
export function parseStagedName(name: string): string | undefined {
  return STAGED.exec(name)?.[1];
}

function randomToken(): string {
  return randomBytes(12).toString('hex');
}
