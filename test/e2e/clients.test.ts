import { format } from 'node:util';
import type { ApolloClient } from '@apollo/client';
import { print } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../src/model/principal.js';
import type { SdpTarget } from '../../src/model/targets.js';
import type {
  ClientSegmentUpdatedSubscription,
  ClientDeleteSegmentMutation as DeleteData,
  ClientInstallLogUpdatedSubscription as InstallLogData,
} from '../generated/graphql.js';
import {
  ClientDeleteSegment,
  ClientInstallLogUpdated,
  ClientInstallSegment,
  ClientSegments,
  ClientSegmentUpdated,
  ClientUploadSegment,
  ClientUpsertSeats,
} from '../support/documents/client-documents.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { writeTokenFile } from '../support/harness/auth.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import {
  apolloClient,
  graphqlWsClient,
  requestClient,
  urqlClient,
} from '../support/harness/standard-clients.js';
import { freePort, tempDir } from '../support/harness/temp.js';

type SegmentEvent = ClientSegmentUpdatedSubscription['segmentUpdated'];
type InstallLog = InstallLogData['installLogUpdated'];
type Apollo = ReturnType<typeof apolloClient>;

/** The SPEC's example segment (3.5.1 unless told) as a `File`, which apollo-upload-client uploads. */
const radarFile = async (fileName: string, version: string = RADAR_MANIFEST.version) =>
  new File(
    [
      new Uint8Array(
        await buildSegmentZip({ ...RADAR_MANIFEST, version }, { 'bin/radar': 'x'.repeat(4096) }),
      ),
    ],
    fileName,
  );

/** An error in words, with whatever it carries (a response body, GraphQL errors), for matching. */
const described = (error: unknown) => `${String(error)} ${JSON.stringify(error)}`;

/** An id that decodes to a seat that does not exist (`Seat:nope-seat`). */
const UNKNOWN_SEAT = 'U2VhdDpub3BlLXNlYXQ=';

/**
 * Apollo Client + apollo-upload-client, urql, graphql-request and graphql-ws, set up exactly as
 * docs/clients.md says (`standard-clients.ts`), against seghub run as `npm start` runs it, with the
 * SDP simulator: upload both formats, follow sync and install live, read typed errors through
 * Apollo's cache, uninstall and delete. Then once more with authentication on.
 */
describe.each([{ auth: false }, { auth: true }])('standard GraphQL clients (auth: $auth)', ({ auth }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let seghub: SeghubProcess;
  let url: string;
  let tokens: Partial<Record<Role, string>> = {};
  const open: Apollo[] = [];
  const ws: WsClient[] = [];
  const uploaded: Partial<Record<SdpTarget, string>> = {};
  let seatIds: string[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator();
    data = await tempDir('seghub-clients');
    const tokenFile = auth ? await writeTokenFile(data.dir) : undefined;
    tokens = tokenFile?.tokens ?? {};
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    seghub = spawnBuilt('main.js', {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: data.dir,
      INSTALL_POLL_MS: '100',
      SYNC_RETRY_BASE_MS: '50',
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      ...(tokenFile && { AUTH_TOKENS_FILE: tokenFile.file }),
    });
    await seghub.waitForLog((line) => line.msg === 'leading: reconcilers started', 60_000);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(open.map((apollo) => apollo.dispose()));
    await Promise.all(ws.map((client) => client.dispose()));
    if (seghub && seghub.child.exitCode === null && seghub.child.signalCode === null)
      seghub.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });

  const apollo = (role: Role, options: { possibleTypes?: boolean } = {}): ApolloClient => {
    const made = apolloClient(url, tokens[role], options);
    open.push(made);
    return made.client;
  };
  const graphqlWs = (role: Role) => {
    const client = graphqlWsClient(url, tokens[role]);
    ws.push(client);
    return client;
  };

  /** Apollo's subscription over graphql-ws, collected until `until` holds; `onFirst` runs once. */
  const followSegment = (
    client: ApolloClient,
    id: string,
    until: (e: SegmentEvent) => boolean,
    onFirst: () => void,
  ) =>
    new Promise<SegmentEvent[]>((resolve, reject) => {
      const events: SegmentEvent[] = [];
      const subscription = client.subscribe({ query: ClientSegmentUpdated, variables: { id } }).subscribe({
        next: ({ data: result, error }) => {
          if (error || !result) return reject(error ?? new Error('segmentUpdated without data'));
          events.push(result.segmentUpdated);
          if (events.length === 1) onFirst();
          if (until(result.segmentUpdated)) {
            subscription.unsubscribe();
            resolve(events);
          }
        },
        error: reject,
        complete: () => reject(new Error(`segmentUpdated(${id}) completed before the awaited event`)),
      });
    });

  it('graphql-request adds seats', async () => {
    const result = await requestClient(url, tokens.admin).request(ClientUpsertSeats, {
      seats: [
        { name: 'console-1', ip: '10.40.0.1' },
        { name: 'console-2', ip: '10.40.0.2' },
      ],
    });
    expect(result.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
    if (result.upsertSeats.__typename === 'UpsertSeatsSuccess')
      seatIds = result.upsertSeats.seats.map((seat) => seat.id);
    expect(seatIds).toHaveLength(2);
  });

  it.each([
    { fileName: 'radar-display-3.5.1.zip', version: '3.5.1', format: 'ZIP', target: 'DEPLOY_PLATFORM' },
    { fileName: 'radar-display-3.5.2.mpk', version: '3.5.2', format: 'MPK', target: 'STORE_15S' },
  ] as const)('Apollo uploads $fileName and follows it live to SYNCED on $target', async (file) => {
    const client = apollo('operator');
    const platform = sim.sim.platform(file.target);
    // SDP refuses the segment until the subscriber has seen it PENDING: the sync is followed live.
    platform.faults.set({ errorRate: { CreateSegment: 1 } });
    try {
      const { data: result } = await client.mutate({
        mutation: ClientUploadSegment,
        variables: { file: await radarFile(file.fileName, file.version) },
      });
      const upload = result?.uploadSegment;
      if (upload?.__typename !== 'UploadSegmentSuccess') throw new Error(`upload: ${JSON.stringify(upload)}`);
      expect(upload.segment).toMatchObject({
        name: 'radar-display',
        version: file.version,
        format: file.format,
        target: file.target,
      });
      const events = await followSegment(
        client,
        upload.segment.id,
        (event) => event.sync.status === 'SYNCED',
        () => platform.faults.clear(),
      );
      expect(events[0]?.sync.status).toBe('PENDING');
      const uid = events.at(-1)?.remoteExtra?.uid;
      expect(platform.segments.get(uid!)).toMatchObject({ name: 'radar-display', version: file.version });
      uploaded[file.target] = upload.segment.id;
    } finally {
      platform.faults.clear();
    }
  });

  it('urql lists them with GET queries', async () => {
    const result = await urqlClient(url, tokens.viewer)
      .query(ClientSegments, { filter: { nameContains: 'radar' } })
      .toPromise();
    expect(result.error).toBeUndefined();
    const nodes = result.data?.segments.edges.map((edge) => edge.node);
    expect(nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ format: 'ZIP', sync: { status: 'SYNCED' } }),
        expect.objectContaining({ format: 'MPK', sync: { status: 'SYNCED' } }),
      ]),
    );
  });

  it('urql follows a segment over graphql-ws through its subscriptionExchange', async () => {
    const id = uploaded.DEPLOY_PLATFORM!;
    const first = await new Promise<SegmentEvent>((resolve, reject) => {
      const { unsubscribe } = urqlClient(url, tokens.viewer)
        .subscription(ClientSegmentUpdated, { id })
        .subscribe((result) => {
          if (result.error || !result.data) return reject(result.error ?? new Error('no data'));
          // segmentUpdated sends the segment as it is now first: here, synced.
          resolve(result.data.segmentUpdated);
          queueMicrotask(unsubscribe);
        });
    });
    expect(first).toMatchObject({ id, sync: { status: 'SYNCED' } });
  });

  it('graphql-ws follows an install from before it starts to SUCCEEDED', async () => {
    const platform = sim.sim.platform('DEPLOY_PLATFORM');
    platform.faults.set({ errorRate: { StartTask: 1 } });
    try {
      const started = await requestClient(url, tokens.operator).request(ClientInstallSegment, {
        id: uploaded.DEPLOY_PLATFORM!,
        seatIds,
      });
      const install = started.installSegment;
      if (install.__typename !== 'InstallSegmentSuccess' || !install.record)
        throw new Error(`install: ${JSON.stringify(install)}`);
      const logs: InstallLog[] = [];
      const events = graphqlWs('viewer').iterate<InstallLogData>({
        query: print(ClientInstallLogUpdated),
        variables: { recordId: install.record.id },
      });
      for await (const event of events) {
        expect(event.errors).toBeUndefined();
        if (event.data) logs.push(event.data.installLogUpdated);
        if (logs.length === 1) platform.faults.clear();
      }
      expect(logs[0]).toMatchObject({ status: expect.stringMatching(/PENDING|RUNNING/), percent: 0 });
      expect(logs.at(-1)).toMatchObject({
        status: 'SUCCEEDED',
        percent: 100,
        summary: { total: 2, succeeded: 2 },
      });
    } finally {
      platform.faults.clear();
    }
  });

  it('Apollo reads typed errors, code and message, through its cache', async () => {
    const client = apollo('operator');
    const duplicate = await client.mutate({
      mutation: ClientUploadSegment,
      variables: { file: await radarFile('again.zip') },
    });
    expect(duplicate.data?.uploadSegment).toMatchObject({
      __typename: 'SegmentAlreadyExistsError',
      code: 'SEGMENT_ALREADY_EXISTS',
      message: expect.stringContaining('radar-display'),
    });
    const unknownSeat = await client.mutate({
      mutation: ClientInstallSegment,
      variables: { id: uploaded.DEPLOY_PLATFORM!, seatIds: [UNKNOWN_SEAT] },
    });
    expect(unknownSeat.data?.installSegment).toMatchObject({
      __typename: 'SeatNotFoundError',
      code: 'SEAT_NOT_FOUND',
      message: expect.any(String),
    });
    const installed = await client.mutate({
      mutation: ClientDeleteSegment,
      variables: { id: uploaded.DEPLOY_PLATFORM! },
    });
    expect(installed.data?.deleteSegment).toMatchObject({
      __typename: 'SegmentInstalledError',
      code: 'SEGMENT_INSTALLED',
      message: expect.any(String),
    });
  });

  it('without the generated possibleTypes, Apollo drops code and message (why docs/clients.md has them)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const duplicate = await apollo('operator', { possibleTypes: false }).mutate({
        mutation: ClientUploadSegment,
        variables: { file: await radarFile('again.zip') },
      });
      expect(duplicate.data?.uploadSegment.__typename).toBe('SegmentAlreadyExistsError');
      expect(duplicate.data?.uploadSegment).not.toHaveProperty('code');
      expect(warn.mock.calls.map((args) => format(...args)).join('\n')).toMatch(
        /Cannot match inline fragment on `Error`/,
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('urql set up without the CSRF header has its GET queries refused', async () => {
    const result = await urqlClient(url, tokens.viewer, { csrfHeader: false })
      .query(ClientSegments, {})
      .toPromise();
    expect(result.data).toBeUndefined();
    expect(result.error?.response?.status).toBe(403);
    expect(result.error?.graphQLErrors[0]?.extensions).toMatchObject({ code: 'CSRF_HEADER_REQUIRED' });
    expect(result.error?.message).toContain('x-graphql-yoga-csrf');
  });

  it('uninstalls and deletes both segments; segmentUpdated ends with the tombstone', async () => {
    const operator = requestClient(url, tokens.operator);
    const uninstall = await operator.request(ClientInstallSegment, {
      id: uploaded.DEPLOY_PLATFORM!,
      seatIds: [],
    });
    if (uninstall.installSegment.__typename !== 'InstallSegmentSuccess' || !uninstall.installSegment.record)
      throw new Error(`uninstall: ${JSON.stringify(uninstall)}`);
    const recordId = uninstall.installSegment.record.id;
    const statuses: string[] = [];
    for await (const event of graphqlWs('viewer').iterate<InstallLogData>({
      query: print(ClientInstallLogUpdated),
      variables: { recordId },
    }))
      if (event.data) statuses.push(event.data.installLogUpdated.status);
    expect(statuses.at(-1)).toBe('SUCCEEDED');

    const client = apollo('operator');
    for (const target of ['DEPLOY_PLATFORM', 'STORE_15S'] as const) {
      const id = uploaded[target]!;
      let deleting: ReturnType<typeof client.mutate<DeleteData>> | undefined;
      // Subscribed first: the segment as it is, then its deletion, then the tombstone.
      const events = await followSegment(
        client,
        id,
        (event) => event.deleted,
        () => {
          deleting = client.mutate({ mutation: ClientDeleteSegment, variables: { id } });
        },
      );
      expect((await deleting)?.data?.deleteSegment).toMatchObject({
        segment: { id, deleteStatus: 'PROCESSING' },
      });
      expect(events.at(-1)).toMatchObject({ id, deleted: true });
      expect(sim.sim.platform(target).segments.get(events[0]!.remoteExtra!.uid)).toBeUndefined();
    }
    const left = await urqlClient(url, tokens.viewer).query(ClientSegments, {}).toPromise();
    expect(left.data?.segments.totalCount).toBe(0);
  });

  if (auth)
    it('refuses each client without a token', async () => {
      const anonymous = apolloClient(url);
      open.push(anonymous);
      // Apollo accepts application/graphql-response+json, so the refusal comes back in that type and
      // Apollo shows the GraphQL error itself (a plain application/json 401 would be a ServerError).
      const apolloRefusal = await anonymous.client.query({ query: ClientSegments }).catch((e) => e);
      expect(apolloRefusal).toMatchObject({
        errors: [
          { message: expect.stringMatching(/^not authenticated/), extensions: { code: 'UNAUTHENTICATED' } },
        ],
      });
      const refused = await urqlClient(url).query(ClientSegments, {}).toPromise();
      expect(refused.error?.response?.status).toBe(401);
      expect(await requestClient(url).request(ClientSegments, {}).catch(described)).toMatch(
        /UNAUTHENTICATED/,
      );
      const anonymousWs = graphqlWsClient(url);
      ws.push(anonymousWs);
      const events = anonymousWs.iterate({ query: print(ClientSegments) });
      await expect(events.next()).rejects.toMatchObject({ code: 4401 });
    });
});
