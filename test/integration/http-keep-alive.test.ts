import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartContentType, uploadBody } from '../support/fixtures/multipart-body.js';
import { bearer, writeTokenFile } from '../support/harness/auth.js';
import { keptAliveConnection, type RawAnswer } from '../support/harness/raw-http.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const MIB = 1024 * 1024;
/** Advertised as `Keep-Alive: timeout=1`; Node's timer runs out 1 s later, at 2 s. */
const KEEP_ALIVE_MS = 1000;
/** Silent connections stay open this much longer: until 5 s. */
const GRACE_MS = 3000;
/** A client that reuses its idle connection late: after the timer, within the grace. */
const CLIENT_LAG_MS = 3000;
/** From 3 s until past the end of the grace, 7 s. */
const STALL_MS = 4000;
const STALLED = 'test hook: event loop stalled';

/**
 * Test-only, loaded into the seghub process with `--import`: on SIGUSR2 the process announces the
 * stall on stdout, then keeps its event loop busy for TEST_STALL_MS, as a process on a loaded
 * machine is kept from its sockets. Nothing of it is in seghub's own code.
 */
const STALL_ON_SIGNAL = `process.on('SIGUSR2', () => {
  process.stdout.write(JSON.stringify({ level: 30, msg: '${STALLED}' }) + '\\n');
  const until = Date.now() + Number(process.env.TEST_STALL_MS);
  while (Date.now() < until);
});`;

// Both fail before the fix. Node closed a connection as soon as its keep-alive timer ran out, 1 s
// after the advertised timeout: a client that reuses its connection later than that, as a loaded
// one does (Node's fetch on a machine at load average ~10: connections idle 4.7 to 6.3 s against
// an advertised 5 s), met a closed socket. And once a stalled event loop got going again, Node ran
// the expired timers before it read the sockets (nodejs/node#43456) and destroyed connections
// with their request unread. Either way the client saw a reset (in the soak: Node's fetch failing
// with `UND_ERR_SOCKET` or `EPIPE`) instead of an answer or a refusal.
describe('requests on kept-alive connections from a late client to a stalled server', () => {
  let seghub: SeghubProcess;
  let url: string;
  let requests: Record<string, [Record<string, string>, string | Buffer]>;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const data = await tempDir('seghub-keep-alive');
    remove = data.remove;
    const { file, tokens } = await writeTokenFile(data.dir);
    const port = await freePort();
    seghub = spawnBuilt(
      'main.js',
      {
        DATA_DIR: data.dir,
        AUTH_TOKENS_FILE: file,
        PORT: String(port),
        HOST: '127.0.0.1',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
        HTTP_KEEP_ALIVE_GRACE_MS: String(GRACE_MS),
        TEST_STALL_MS: String(STALL_MS),
      },
      ['--import', `data:text/javascript,${encodeURIComponent(STALL_ON_SIGNAL)}`],
    );
    await seghub.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    url = `http://127.0.0.1:${port}/graphql`;
    const json = { 'content-type': 'application/json' };
    const list = JSON.stringify({ query: '{ segments(first: 1) { totalCount } }' });
    const upload = 'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }';
    requests = {
      list: [{ ...json, ...bearer(tokens.viewer) }, list],
      'bad token': [{ ...json, ...bearer('st_wrong') }, list],
      'body too large': [
        { ...json, ...bearer(tokens.viewer) },
        JSON.stringify({ query: '{ version }', variables: { pad: 'x'.repeat(2 * MIB) } }),
      ],
      'upload without CSRF header': [
        { 'content-type': multipartContentType, ...bearer(tokens.operator) },
        uploadBody(upload, 'a.zip', Buffer.alloc(256 * 1024)),
      ],
    };
  }, 60_000);

  afterAll(async () => {
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await remove?.();
  });

  const answered = {
    list: '200 data',
    'bad token': '401 UNAUTHENTICATED',
    'body too large': '413 REQUEST_BODY_TOO_LARGE',
    'upload without CSRF header': '403 CSRF_HEADER_REQUIRED',
  };

  /**
   * Opens a connection per request and serves one list on each, so that all are idle with their
   * keep-alive timers running; lags as a loaded client does; calls `meanwhile`; then sends each
   * request on its idle connection. Resolves with what each got.
   */
  async function lateOnIdleConnections(meanwhile: () => Promise<unknown>): Promise<Record<string, string>> {
    const names = Object.keys(requests);
    const connections = names.map(() => keptAliveConnection(url));
    try {
      const first = await Promise.all(connections.map((c) => c.post(...requests.list!).then(outcome)));
      expect(first).toEqual(names.map(() => '200 data'));
      // The lag is the scenario itself: the server's timer runs out on its own clock, unseen.
      await sleep(CLIENT_LAG_MS);
      await meanwhile();
      const answers = await Promise.all(
        names.map((name, i) =>
          connections[i]!.post(...requests[name]!).then(outcome, (error: Error) => error.message),
        ),
      );
      return Object.fromEntries(names.map((name, i) => [name, answers[i]!]));
    } finally {
      for (const connection of connections) connection.socket.destroy();
    }
  }

  it('answers a client that reuses its connection after the keep-alive timer, within the grace', async () => {
    expect(await lateOnIdleConnections(async () => {})).toEqual(answered);
  }, 30_000);

  it('answers requests that arrive while the server is stalled as the grace runs out', async () => {
    const stalled = async () => {
      seghub.signal('SIGUSR2');
      await seghub.waitForLog((line) => line.msg === STALLED);
    };
    // Sent during the stall, well within the grace; read by the server only after its stall, by
    // which time the grace has run out too.
    expect(await lateOnIdleConnections(stalled)).toEqual(answered);
  }, 30_000);
});

/** "<status> <error code>", or "<status> data" for an answer with data. */
function outcome(answer: RawAnswer): string {
  const body = JSON.parse(answer.body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return `${answer.status} ${body.errors?.[0]?.extensions?.code ?? (body.data ? 'data' : 'nothing')}`;
}
