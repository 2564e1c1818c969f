import type { SegmentFormat } from '../model/targets.js';

/**
 * The SDP contract as the rest of seghub sees it: plain values and string unions, so no generated
 * protobuf type leaks past `src/sdp/`.
 */

export interface RemoteSegment {
  uid: string;
  name: string;
  version: string;
  format: SegmentFormat;
  fileName: string;
  size: number;
  sha256: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateSegmentInput extends Omit<RemoteSegment, 'uid' | 'createdAt' | 'updatedAt'> {
  /** Derived from the seghub record, so a retry after a crash repeats the first answer. */
  idempotencyKey: string;
}

export interface CreateSegmentResult {
  segment: RemoteSegment;
  /** The platform already had it under this idempotency key; no bytes were sent again. */
  replayed: boolean;
}

export type TaskAction = 'INSTALL' | 'UNINSTALL';
export type TaskState = 'RUNNING' | 'SUCCEEDED' | 'PARTIALLY_SUCCEEDED' | 'FAILED';
export type DeviceState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface DeviceProgress {
  ip: string;
  state: DeviceState;
  percent: number;
  /** Set when `state` is FAILED. */
  error?: string;
  updatedAt: Date;
}

export interface TaskSummary {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
}

export interface RemoteTask {
  taskId: string;
  segmentUid: string;
  action: TaskAction;
  state: TaskState;
  percent: number;
  summary: TaskSummary;
  /** Every device, or with `sinceRevision` only those that changed since. */
  devices: DeviceProgress[];
  /** Pass back as `sinceRevision` to receive only what changes after this answer. */
  revision: number;
  createdAt: Date;
  finishedAt?: Date;
}

export interface StartTaskInput {
  segmentUid: string;
  action: TaskAction;
  deviceIps: string[];
  idempotencyKey: string;
}

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';
