import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { credentials, Server, type ServiceError, status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CancelTaskResponse,
  DeploymentServiceClient,
  DeploymentServiceService,
  DeviceState,
  type GetTaskRequest,
  type GetTaskResponse,
  type ListInstalledDevicesRequest,
  type ListInstalledDevicesResponse,
  type StartTaskRequest,
  type StartTaskResponse,
  TaskAction,
  TaskState,
} from '../../src/sdp/generated/seghub/sdp/v1/deployment.js';
import { createDeploymentService } from '../../src/sim/deployment/deployment-service.js';
import { pageSize } from '../../src/sim/deployment/page-token.js';
import { TaskEngine } from '../../src/sim/deployment/task-engine.js';
import { bindServer } from '../../src/sim/grpc-server.js';
import { tempDir } from '../support/harness/temp.js';

const T0 = 1_700_000_000_000;
let now: number;
let dir: string;
let remove: () => Promise<void>;
let engine: TaskEngine;
let server: Server;
let client: DeploymentServiceClient;
let logLines: string[];
const segments = new Set(['seg-a']);

const silentLogger = () => pino({ level: 'error' }, { write: (line: string) => logLines.push(line) });

beforeEach(async () => {
  now = T0;
  logLines = [];
  segments.add('seg-a');
  ({ dir, remove } = await tempDir('sim-deployment-service'));
  engine = await TaskEngine.open({
    dir,
    logger: silentLogger(),
    clock: () => now,
    segmentExists: (uid) => segments.has(uid),
    settleIntervalMs: 0,
    behaviour: { durationMs: 1000, jitter: 0 },
  });
  server = new Server();
  server.addService(DeploymentServiceService, createDeploymentService(engine));
  const port = await bindServer(server, '127.0.0.1', 0);
  client = new DeploymentServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
});

afterEach(async () => {
  client.close();
  server.forceShutdown();
  await engine.close();
  await remove();
});

const settle =
  <T>(resolve: (value: T) => void, reject: (err: ServiceError) => void) =>
  (err: ServiceError | null, value: T) =>
    err ? reject(err) : resolve(value);

const rpc = {
  startTask: (request: StartTaskRequest) =>
    new Promise<StartTaskResponse>((resolve, reject) => client.startTask(request, settle(resolve, reject))),
  getTask: (request: GetTaskRequest) =>
    new Promise<GetTaskResponse>((resolve, reject) => client.getTask(request, settle(resolve, reject))),
  cancelTask: (taskId: string) =>
    new Promise<CancelTaskResponse>((resolve, reject) =>
      client.cancelTask({ taskId }, settle(resolve, reject)),
    ),
  listInstalledDevices: (request: ListInstalledDevicesRequest) =>
    new Promise<ListInstalledDevicesResponse>((resolve, reject) =>
      client.listInstalledDevices(request, settle(resolve, reject)),
    ),
};

async function expectStatus(promise: Promise<unknown>, code: status, details: RegExp): Promise<void> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as ServiceError | undefined;
  expect(err, `expected ${status[code]}`).toBeDefined();
  expect([status[err!.code], err!.details]).toEqual([status[code], expect.stringMatching(details)]);
}

const start = (overrides: Partial<StartTaskRequest> = {}) =>
  rpc.startTask({
    segmentUid: 'seg-a',
    action: TaskAction.TASK_ACTION_INSTALL,
    deviceIps: ['10.0.0.1', '10.0.0.2'],
    idempotencyKey: 'key-1',
    ...overrides,
  });

const ips = (count: number) =>
  Array.from({ length: count }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);

describe('StartTask validation', () => {
  const cases: Array<[string, Partial<StartTaskRequest>, status, RegExp]> = [
    ['empty segment', { segmentUid: '' }, status.INVALID_ARGUMENT, /^segment_uid is required$/],
    ['unknown segment', { segmentUid: 'seg-x' }, status.NOT_FOUND, /segment "seg-x" does not exist/],
    ['no action', { action: TaskAction.TASK_ACTION_UNSPECIFIED }, status.INVALID_ARGUMENT, /action must be/],
    ['unknown action', { action: 7 as TaskAction }, status.INVALID_ARGUMENT, /got 7/],
    ['no devices', { deviceIps: [] }, status.INVALID_ARGUMENT, /at least one address/],
    [
      'too many devices',
      { deviceIps: ips(20_001) },
      status.INVALID_ARGUMENT,
      /20001 addresses; at most 20000/,
    ],
    [
      'not an address',
      { deviceIps: ['10.0.0.1', 'foo'] },
      status.INVALID_ARGUMENT,
      /device_ips\[1\] is not an IPv4 or IPv6 address: "foo"/,
    ],
    ['leading zero', { deviceIps: ['10.0.0.01'] }, status.INVALID_ARGUMENT, /device_ips\[0\] is not/],
    ['bracketed v6', { deviceIps: ['[::1]'] }, status.INVALID_ARGUMENT, /device_ips\[0\] is not/],
    [
      'repeated',
      { deviceIps: ['10.0.0.1', '10.0.0.2', '10.0.0.1'] },
      status.INVALID_ARGUMENT,
      /device_ips\[2\] "10.0.0.1" is the same address as device_ips\[0\]/,
    ],
    [
      'one v6 address spelled twice',
      { deviceIps: ['::1', '0:0:0::01'] },
      status.INVALID_ARGUMENT,
      /device_ips\[1\] "0:0:0::01" is the same address/,
    ],
    [
      'empty key',
      { idempotencyKey: '' },
      status.INVALID_ARGUMENT,
      /1 to 128 printable ASCII characters, got 0/,
    ],
    ['long key', { idempotencyKey: 'k'.repeat(129) }, status.INVALID_ARGUMENT, /got 129/],
    ['control character', { idempotencyKey: 'a\tb' }, status.INVALID_ARGUMENT, /character 1 is U\+0009/],
    ['non-ASCII key', { idempotencyKey: 'clé' }, status.INVALID_ARGUMENT, /character 2 is U\+00E9/],
  ];

  it.each(cases)('refuses %s', async (_, patch, code, details) => {
    await expectStatus(start(patch), code, details);
    await expect(readdir(path.join(dir, 'tasks'))).rejects.toThrow(/ENOENT/);
  });

  it('accepts the limits', async () => {
    const key = ` ~${'k'.repeat(126)}`;
    const { task } = await start({ idempotencyKey: key, deviceIps: [...ips(19_999), 'FE80::1%eth0'] });
    expect(task!.summary!.total).toBe(20_000);
    expect(task!.devices.at(-1)!.ip).toBe('FE80::1%eth0');
  });
});

describe('StartTask idempotency', () => {
  it('replays the first task for the same key and request, even after the segment is gone', async () => {
    const first = await start();
    now += 400;
    segments.delete('seg-a');
    const again = await start();
    expect([first.replayed, again.replayed]).toEqual([false, true]);
    expect(again.task!.taskId).toBe(first.task!.taskId);
    expect(again.task!.percent).toBe(40);
    expect(await readdir(path.join(dir, 'tasks'))).toHaveLength(1);
  });

  it('refuses the same key for a different request, down to the order of the devices', async () => {
    await start();
    await expectStatus(
      start({ deviceIps: ['10.0.0.2', '10.0.0.1'] }),
      status.INVALID_ARGUMENT,
      /already used/,
    );
    await expectStatus(
      start({ action: TaskAction.TASK_ACTION_UNINSTALL }),
      status.INVALID_ARGUMENT,
      /"key-1" was already used for a different request \(task task-/,
    );
  });

  it('starts one task for concurrent calls with one key', async () => {
    const answers = await Promise.all([start(), start(), start()]);
    expect(new Set(answers.map((a) => a.task!.taskId)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await readdir(path.join(dir, 'tasks'))).toHaveLength(1);
  });
});

describe('GetTask', () => {
  it('carries revisions and times through the wire', async () => {
    const { task } = await start();
    now += 1000;
    const { task: done } = await rpc.getTask({ taskId: task!.taskId, sinceRevision: task!.revision });
    expect(done!.revision).toBe(T0 + 1000);
    expect([done!.state, done!.finishTime]).toEqual([TaskState.TASK_STATE_SUCCEEDED, new Date(T0 + 1000)]);
    expect(done!.devices.map((d) => [d.state, d.updateTime])).toEqual([
      [DeviceState.DEVICE_STATE_SUCCEEDED, new Date(T0 + 1000)],
      [DeviceState.DEVICE_STATE_SUCCEEDED, new Date(T0 + 1000)],
    ]);
  });

  it('answers NOT_FOUND for unknown ids and never touches paths outside the task files', async () => {
    const unknown = 'task-00000000-0000-4000-8000-000000000000';
    await expectStatus(
      rpc.getTask({ taskId: unknown, sinceRevision: 0 }),
      status.NOT_FOUND,
      /does not exist/,
    );
    await expectStatus(
      rpc.getTask({ taskId: '../deployment', sinceRevision: 0 }),
      status.NOT_FOUND,
      /does not exist/,
    );
    await expectStatus(
      rpc.getTask({ taskId: '', sinceRevision: 0 }),
      status.INVALID_ARGUMENT,
      /task_id is required/,
    );
  });
});

describe('CancelTask', () => {
  it('ends the task through the wire and answers the same for an ended one', async () => {
    engine.setDevice('10.0.0.2', { outcome: 'stall', percent: 70 });
    const { task } = await start();
    now += 5000;
    const { task: cancelled } = await rpc.cancelTask(task!.taskId);
    expect([cancelled!.state, cancelled!.percent, cancelled!.finishTime]).toEqual([
      TaskState.TASK_STATE_PARTIALLY_SUCCEEDED,
      100,
      new Date(T0 + 5000),
    ]);
    expect(cancelled!.devices.map((d) => [d.state, d.percent, d.error])).toEqual([
      [DeviceState.DEVICE_STATE_SUCCEEDED, 100, ''],
      [DeviceState.DEVICE_STATE_FAILED, 70, 'cancelled'],
    ]);
    now += 1000;
    const { task: again } = await rpc.cancelTask(task!.taskId);
    expect({ ...again, revision: 0 }).toEqual({ ...cancelled, revision: 0 });
  });

  it('answers NOT_FOUND for unknown ids and INVALID_ARGUMENT for an empty one', async () => {
    await expectStatus(
      rpc.cancelTask('task-00000000-0000-4000-8000-000000000000'),
      status.NOT_FOUND,
      /task "task-00000000-0000-4000-8000-000000000000" does not exist/,
    );
    await expectStatus(rpc.cancelTask('../deployment'), status.NOT_FOUND, /does not exist/);
    await expectStatus(rpc.cancelTask(''), status.INVALID_ARGUMENT, /^task_id is required$/);
  });
});

describe('ListInstalledDevices', () => {
  const installed = ['10.0.0.10', '10.0.0.2', '2001:db8::1', '9.255.255.255', '::ffff:1.2.3.4', '10.0.1.0'];
  const ordered = ['9.255.255.255', '10.0.0.2', '10.0.0.10', '10.0.1.0', '::ffff:1.2.3.4', '2001:db8::1'];

  async function page(pageToken: string, size = 2) {
    return rpc.listInstalledDevices({ segmentUid: 'seg-a', pageSize: size, pageToken });
  }

  it('pages through the devices in address order, without skipping when the set changes', async () => {
    await start({ deviceIps: installed });
    now += 1000;
    const first = await page('');
    expect(first.deviceIps).toEqual(ordered.slice(0, 2));
    await start({
      idempotencyKey: 'gone',
      action: TaskAction.TASK_ACTION_UNINSTALL,
      deviceIps: [ordered[0]!],
    });
    now += 1000;
    const second = await page(first.nextPageToken);
    const third = await page(second.nextPageToken);
    expect([...second.deviceIps, ...third.deviceIps]).toEqual(ordered.slice(2));
    expect(third.nextPageToken).toBe('');
    expect((await page('', 0)).deviceIps).toEqual(ordered.slice(1));
  });

  it('refuses unknown segments and tokens it did not issue', async () => {
    await expectStatus(
      rpc.listInstalledDevices({ segmentUid: 'seg-x', pageSize: 0, pageToken: '' }),
      status.NOT_FOUND,
      /seg-x/,
    );
    await expectStatus(page('bm90LWEta2V5'), status.INVALID_ARGUMENT, /page_token/);
    await expectStatus(page('%%%'), status.INVALID_ARGUMENT, /page_token/);
  });

  it('treats page size 0 as 1000 and caps it at 10000', () => {
    expect([pageSize(0), pageSize(1), pageSize(10_000), pageSize(10_001)]).toEqual([1000, 1, 10_000, 10_000]);
  });
});

describe('handler failures', () => {
  it('sends unexpected errors as INTERNAL and logs them, even when thrown synchronously', async () => {
    logLines = [];
    const broken = {
      logger: silentLogger(),
      get: async () => {
        throw new TypeError('boom');
      },
      listInstalledDevices: () => {
        throw new TypeError('sync boom');
      },
    } as unknown as TaskEngine;
    const service = createDeploymentService(broken);
    const answer = (handler: (call: never, callback: never) => void, request: object) =>
      new Promise<Partial<ServiceError> | null>((resolve) => {
        handler({ request } as never, ((err: Partial<ServiceError> | null) => resolve(err)) as never);
      });
    const getError = await answer(service.getTask, { taskId: 'x', sinceRevision: 0 });
    const listError = await answer(service.listInstalledDevices, { segmentUid: 'seg-a' });
    expect([getError?.code, getError?.details]).toEqual([status.INTERNAL, 'internal simulator error']);
    expect(listError?.code).toBe(status.INTERNAL);
    expect(logLines.join('')).toMatch(/sync boom/);
    expect(logLines.join('')).toMatch(/"method":"GetTask"/);
  });
});
