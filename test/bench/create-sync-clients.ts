import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import { SdpClient } from '../../src/sdp/sdp-client.js';
import { UploadSegment } from '../support/documents/segment-documents.js';
import { multipartContentType, uploadBody } from '../support/fixtures/multipart-body.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { withTimeout } from '../support/harness/wait-for.js';
import type { CreateSyncCommand, CreateSyncReport, SmallFile } from './create-sync-protocol.js';
import { inPool } from './pool.js';

/**
 * The clients of create-sync-500, in a process of their own (one per case, both sides) so that
 * whatever the bench's own process has been through — gigabyte uploads, 100,000 seeded records —
 * weighs on neither side. Each command runs one timed round and answers with its duration.
 *
 * Both sides send over connections kept open: the baseline through the SDP client (after reading
 * and hashing the file, as the SDP contract asks), seghub as a GraphQL multipart request written
 * with node:http. (fetch with FormData cost this process 1.9 ms of CPU per upload, on the two cores
 * seghub and the simulator share, where the SDP client costs a fraction of that.)
 */

const send = (report: CreateSyncReport) => process.send?.(report);

let follower: { url: string; synced: ReturnType<typeof followSynced> } | undefined;
let sdp: { address: string; client: SdpClient } | undefined;

process.on('message', (command: CreateSyncCommand) => {
  const round = command.cmd === 'seghub' ? seghubRound(command) : baselineRound(command);
  round.then(
    (ms) => send({ kind: 'done', ms }),
    (error: unknown) => send({ kind: 'error', message: String(error) }),
  );
});
process.on('disconnect', () => {
  follower?.synced.close();
  sdp?.client.close();
  process.exit(0);
});

async function seghubRound(command: Extract<CreateSyncCommand, { cmd: 'seghub' }>): Promise<number> {
  if (follower?.url !== command.url) {
    follower = { url: command.url, synced: followSynced(wsClient(command.url, { lazy: false })) };
  }
  const { synced } = follower;
  const started = performance.now();
  const allSynced = synced.waitFor(command.files.map(idOf));
  const agent = new Agent({ keepAlive: true, maxSockets: command.clients });
  try {
    await inPool(command.files, command.clients, async (file) => {
      await upload(agent, command.url, file);
    });
  } finally {
    agent.destroy();
  }
  await withTimeout(allSynced, command.timeoutMs, `${command.files.length} segments to be SYNCED`);
  return performance.now() - started;
}

async function baselineRound(command: Extract<CreateSyncCommand, { cmd: 'baseline' }>): Promise<number> {
  if (sdp?.address !== command.address) {
    sdp?.client.close();
    const client = new SdpClient('DEPLOY_PLATFORM', command.address, {
      callTimeoutMs: 15_000,
      streamIdleMs: 15_000,
      logger: pino({ level: 'silent' }),
    });
    sdp = { address: command.address, client };
  }
  const { client } = sdp;
  const started = performance.now();
  await inPool(command.files, command.clients, async (file) => {
    const bytes = await readFile(file.path);
    await client.createSegment(
      {
        name: file.name,
        version: file.version,
        format: 'ZIP',
        fileName: path.basename(file.path),
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        idempotencyKey: randomUUID(),
      },
      file.path,
    );
  });
  return performance.now() - started;
}

const UPLOAD_QUERY = print(UploadSegment);

/** `uploadSegment` as a GraphQL multipart request; rejects unless it answers UploadSegmentSuccess. */
async function upload(agent: Agent, url: string, file: SmallFile): Promise<void> {
  const body = uploadBody(UPLOAD_QUERY, path.basename(file.path), await readFile(file.path));
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': multipartContentType,
        'content-length': body.length,
        'x-graphql-yoga-csrf': '1',
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let all = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        all += chunk;
      });
      res.on('end', () => resolve(all));
      res.on('error', reject);
    });
    req.end(body);
  });
  const result = JSON.parse(text) as { data?: { uploadSegment?: { __typename?: string } } };
  if (result.data?.uploadSegment?.__typename !== 'UploadSegmentSuccess')
    throw new Error(`upload of ${file.name} refused: ${text}`);
}

const idOf = (file: SmallFile) => `${file.name}/${file.version}`;

const SEGMENT_UPDATED = 'subscription BenchSegments { segmentUpdated { name version sync { status } } }';

/** One `segmentUpdated` subscription for every segment; resolves waits as names become SYNCED. */
function followSynced(client: Client) {
  const synced = new Set<string>();
  const waiters = new Set<{ ids: string[]; resolve: () => void; reject: (e: unknown) => void }>();
  const check = () => {
    for (const w of waiters) {
      if (w.ids.every((id) => synced.has(id))) {
        waiters.delete(w);
        w.resolve();
      }
    }
  };
  const fail = (error: unknown) => {
    for (const w of waiters) w.reject(error);
    waiters.clear();
  };
  type Update = { segmentUpdated: { name: string; version: string; sync: { status: string } } };
  const unsubscribe = client.subscribe<Update>(
    { query: SEGMENT_UPDATED },
    {
      next: (r) => {
        const s = r.data?.segmentUpdated;
        if (!s) return;
        if (s.sync.status === 'SYNCED') synced.add(`${s.name}/${s.version}`);
        if (s.sync.status === 'FAILED') fail(new Error(`${s.name} ${s.version} FAILED to sync`));
        check();
      },
      error: fail,
      complete: () => fail(new Error('segmentUpdated completed')),
    },
  );
  const waitFor = (ids: string[]) =>
    new Promise<void>((resolve, reject) => {
      waiters.add({ ids, resolve, reject });
      check();
    });
  return { waitFor, close: unsubscribe };
}
