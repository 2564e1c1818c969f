import type { ErrorCode, SdpTarget } from './generated/graphql.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export const TARGET_LABELS: Record<SdpTarget, string> = {
  DEPLOY_PLATFORM: 'deployment platform',
  STORE_15S: '15s store',
};

const ERROR_WORDS: Record<ErrorCode, string> = {
  FILE_TOO_LARGE: 'The file is larger than seghub accepts',
  INSTALL_IN_PROGRESS: 'An install of this segment is already running',
  INVALID_INPUT: 'Some input was refused',
  INVALID_SEGMENT_FILE: 'The file is not a valid segment archive',
  REMOTE_SYNC_TIMEOUT: 'The remote sync did not answer in time',
  SEAT_IN_USE: 'The seat is in use',
  SEAT_NOT_FOUND: 'A seat no longer exists',
  SEGMENT_ALREADY_EXISTS: 'This name and version is already in seghub',
  SEGMENT_DELETING: 'The segment is being deleted',
  SEGMENT_INSTALLED: 'The segment is still installed on seats',
  SEGMENT_NOT_FOUND: 'The segment no longer exists',
  SEGMENT_NOT_SYNCED: 'The segment is not synced to SDP yet',
  UNSUPPORTED_FORMAT: 'Only .zip and .mpk files are segments',
  STORAGE_FULL: 'The server has no disk space left for the file',
  TOO_MANY_SEAT_GROUPS: 'seghub holds as many seat groups as it is configured for',
  INVALID_LABEL: 'A label was refused',
  INVALID_SELECTOR: 'The selector does not parse',
  GROUP_NOT_FOUND: 'The group no longer exists',
  GROUP_IN_USE: 'The group is in use',
  SEGMENT_NOT_RELEASED: 'Seats of a protected group take only released segments',
  CHECKSUM_MISMATCH: 'The bytes received are not the file that was announced',
  UPLOAD_SESSION_NOT_FOUND: 'The upload session is gone (completed or expired)',
  TOO_MANY_UPLOAD_SESSIONS: 'You have as many unfinished uploads open as seghub allows',
  APPROVAL_NOT_ALLOWED: 'Another operator than the one who created the rollout must approve it',
  GROUP_FROZEN: 'The group is frozen',
  NO_MATCHING_SEATS: 'No seat matches',
  ROLLOUT_IN_PROGRESS: 'A rollout of this segment name has not ended',
  ROLLOUT_NOT_FOUND: 'The rollout no longer exists',
  ROLLOUT_STATE_CONFLICT: "The rollout's state does not allow this now",
  ROLLOUT_SUPERSEDED: 'A newer rollout of this segment and group exists: roll that one back',
  SEGMENT_IN_USE: 'The version is in use by a group or a rollout',
  SEGMENT_NOT_TESTED: 'The segment is not tested yet',
  SEGMENT_DEPRECATED: 'The segment is deprecated',
  SIGNATURE_REQUIRED: 'The segment lacks the valid signatures the policy requires',
  INVALID_SIGNATURE: 'The signature does not verify',
  INVALID_KEY: 'Not a public key seghub accepts (Ed25519, ECDSA P-256, RSA of 3072 bits or more)',
  KEY_NOT_FOUND: 'No signing key has this id',
  KEY_REVOKED: 'The signing key is revoked',
  KEY_EXPIRED: 'The signing key has expired',
  FILE_TAMPERED: 'The stored file no longer matches its SHA-256',
  TOO_MANY_SIGNING_KEYS: 'seghub holds as many signing keys as it is configured for',
  TOO_MANY_SIGNATURES: 'The segment holds as many signatures as seghub allows',
};

/** A typed error from a result union, in words an operator reads without knowing the codes. */
export function describeError(error: { code: ErrorCode; message: string }): string {
  return `${ERROR_WORDS[error.code]}: ${error.message}`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
