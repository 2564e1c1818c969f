import { createHash } from 'node:crypto';
import { type StartTaskRequest, TaskAction } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { invalidArgument } from '../status.js';
import { addressKey } from './addresses.js';

const MAX_DEVICES = 20_000;
const MAX_KEY_LENGTH = 128;

export type WorkAction = TaskAction.TASK_ACTION_INSTALL | TaskAction.TASK_ACTION_UNINSTALL;

/** A StartTask request that passed every rule that does not depend on the platform's state. */
export interface ValidStartRequest {
  segmentUid: string;
  action: WorkAction;
  /** As given, in request order. */
  ips: string[];
  /** `addressKey` of each entry of `ips`. */
  keys: string[];
  idempotencyKey: string;
  /** Equal for requests that count as "the same request" under one idempotency key. */
  fingerprint: string;
}

/** Checks a StartTask request; throws INVALID_ARGUMENT naming the first broken rule. */
export function validateStartRequest(request: StartTaskRequest): ValidStartRequest {
  const { segmentUid, action, deviceIps, idempotencyKey } = request;
  if (segmentUid === '') throw invalidArgument('segment_uid is required');
  if (action !== TaskAction.TASK_ACTION_INSTALL && action !== TaskAction.TASK_ACTION_UNINSTALL) {
    throw invalidArgument(`action must be TASK_ACTION_INSTALL or TASK_ACTION_UNINSTALL, got ${action}`);
  }
  const keys = validateDeviceIps(deviceIps);
  checkIdempotencyKey(idempotencyKey);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([segmentUid, action, deviceIps]))
    .digest('hex');
  return { segmentUid, action, ips: deviceIps, keys, idempotencyKey, fingerprint };
}

function validateDeviceIps(ips: string[]): string[] {
  if (ips.length === 0) throw invalidArgument('device_ips must list at least one address');
  if (ips.length > MAX_DEVICES) {
    throw invalidArgument(`device_ips lists ${ips.length} addresses; at most ${MAX_DEVICES} are allowed`);
  }
  const keys: string[] = [];
  const firstIndex = new Map<string, number>();
  for (const [index, ip] of ips.entries()) {
    const key = addressKey(ip);
    if (key === undefined) {
      throw invalidArgument(`device_ips[${index}] is not an IPv4 or IPv6 address: ${JSON.stringify(ip)}`);
    }
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) {
      throw invalidArgument(
        `device_ips[${index}] ${JSON.stringify(ip)} is the same address as device_ips[${earlier}] ${JSON.stringify(ips[earlier])}`,
      );
    }
    firstIndex.set(key, index);
    keys.push(key);
  }
  return keys;
}

function checkIdempotencyKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidArgument(
      `idempotency_key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters, got ${key.length}`,
    );
  }
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) {
      throw invalidArgument(
        `idempotency_key must be printable ASCII; character ${index} is U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      );
    }
  }
}
