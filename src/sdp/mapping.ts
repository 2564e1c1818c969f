import type { SegmentFormat } from '../model/targets.js';
import {
  type DeviceProgress as PbDeviceProgress,
  DeviceState as PbDeviceState,
  type Task as PbTask,
  TaskAction as PbTaskAction,
  TaskState as PbTaskState,
} from './generated/seghub/sdp/v1/deployment.js';
import {
  type Segment as PbSegment,
  SegmentFormat as PbSegmentFormat,
} from './generated/seghub/sdp/v1/segments.js';
import type {
  DeviceProgress,
  DeviceState,
  RemoteSegment,
  RemoteTask,
  TaskAction,
  TaskState,
} from './types.js';

/** Converts between the generated protobuf messages and the types the rest of seghub uses. */

/** A response the contract does not allow: a bug on the other side, reported, never guessed at. */
export class SdpProtocolError extends Error {
  override name = 'SdpProtocolError';
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new SdpProtocolError(`response lacks ${what}`);
  return value;
}

export function toPbFormat(format: SegmentFormat): PbSegmentFormat {
  return format === 'ZIP' ? PbSegmentFormat.SEGMENT_FORMAT_ZIP : PbSegmentFormat.SEGMENT_FORMAT_MPK;
}

function fromPbFormat(format: PbSegmentFormat): SegmentFormat {
  if (format === PbSegmentFormat.SEGMENT_FORMAT_ZIP) return 'ZIP';
  if (format === PbSegmentFormat.SEGMENT_FORMAT_MPK) return 'MPK';
  throw new SdpProtocolError(`unknown segment format ${format}`);
}

export function fromPbSegment(segment: PbSegment | undefined): RemoteSegment {
  const s = required(segment, 'a segment');
  return {
    uid: s.uid,
    name: s.name,
    version: s.version,
    format: fromPbFormat(s.format),
    fileName: s.fileName,
    size: s.size,
    sha256: s.sha256,
    createdAt: required(s.createTime, 'create_time'),
    updatedAt: required(s.updateTime, 'update_time'),
  };
}

export function toPbAction(action: TaskAction): PbTaskAction {
  return action === 'INSTALL' ? PbTaskAction.TASK_ACTION_INSTALL : PbTaskAction.TASK_ACTION_UNINSTALL;
}

const TASK_STATES: Partial<Record<PbTaskState, TaskState>> = {
  [PbTaskState.TASK_STATE_RUNNING]: 'RUNNING',
  [PbTaskState.TASK_STATE_SUCCEEDED]: 'SUCCEEDED',
  [PbTaskState.TASK_STATE_PARTIALLY_SUCCEEDED]: 'PARTIALLY_SUCCEEDED',
  [PbTaskState.TASK_STATE_FAILED]: 'FAILED',
};

const DEVICE_STATES: Partial<Record<PbDeviceState, DeviceState>> = {
  [PbDeviceState.DEVICE_STATE_PENDING]: 'PENDING',
  [PbDeviceState.DEVICE_STATE_RUNNING]: 'RUNNING',
  [PbDeviceState.DEVICE_STATE_SUCCEEDED]: 'SUCCEEDED',
  [PbDeviceState.DEVICE_STATE_FAILED]: 'FAILED',
};

function fromPbDevice(device: PbDeviceProgress): DeviceProgress {
  const state = required(DEVICE_STATES[device.state], `a known state for device ${device.ip}`);
  return {
    ip: device.ip,
    state,
    percent: device.percent,
    ...(device.error ? { error: device.error } : {}),
    updatedAt: required(device.updateTime, 'device update_time'),
  };
}

export function fromPbTask(task: PbTask | undefined): RemoteTask {
  const t = required(task, 'a task');
  let action: TaskAction;
  if (t.action === PbTaskAction.TASK_ACTION_INSTALL) action = 'INSTALL';
  else if (t.action === PbTaskAction.TASK_ACTION_UNINSTALL) action = 'UNINSTALL';
  else throw new SdpProtocolError(`unknown task action ${t.action}`);
  return {
    taskId: t.taskId,
    segmentUid: t.segmentUid,
    action,
    state: required(TASK_STATES[t.state], 'a known task state'),
    percent: t.percent,
    summary: required(t.summary, 'summary'),
    devices: t.devices.map(fromPbDevice),
    revision: t.revision,
    createdAt: required(t.createTime, 'create_time'),
    ...(t.finishTime ? { finishedAt: t.finishTime } : {}),
  };
}
