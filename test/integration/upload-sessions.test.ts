import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferTokens } from '../../src/domain/transfers/transfer-tokens.js';
import { UploadLockTable } from '../../src/domain/transfers/upload-lock-table.js';
import { UploadSessions } from '../../src/domain/transfers/upload-sessions.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { type KvStore, StoreUnavailableError } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { TransferTokenRecords } from '../../src/records/transfer-token-records.js';
import { UploadLocks } from '../../src/records/upload-locks.js';
import { UploadSessionRecords } from '../../src/records/upload-session-records.js';
import { openFileStorage } from '../../src/storage/file-storage.js';
import {
  CompleteUploadSession,
  CreateUploadSession,
  RenewUploadSession,
  UploadAuditLog,
} from '../support/documents/upload-session-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { completeSession, createSession, sha256Of, tusSend } from '../support/fixtures/tus-upload.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';

const TOKEN_SETTINGS = { ttlSeconds: 120, extendSeconds: 60 };

describe('upload sessions: createUploadSession, tus on /uploads, completeUploadSession', () => {
  let app: SegmentApp;
  let storageDir: string;
  let version = 0;
  /** A fresh segment archive of `padding` bytes of payload. */
  const archive = (payloadBytes = 3000) =>
    buildSegmentZip(
      { name: 'sonar', version: `1.0.${++version}` },
      { 'bin/sonar': randomBytes(payloadBytes) },
      { compression: 'STORE' },
    );

  beforeAll(async () => {
    app = await startSegmentApp({ MAX_UPLOAD_SESSIONS_PER_PRINCIPAL: '50' });
    storageDir = path.join(app.dataDir, 'segments');
  });
  afterAll(() => app?.stop());

  const sessionFiles = () => readdir(path.join(storageDir, '.tmp', 'uploads')).catch(() => []);
  const tus = (
    session: { uploadUrl: string },
    method: string,
    headers: Record<string, string>,
    body?: Buffer,
  ) =>
    fetch(new URL(session.uploadUrl, app.base), {
      method,
      headers: { 'tus-resumable': '1.0.0', ...headers },
      ...(body && { body: new Uint8Array(body) }),
    });

  it('takes the bytes over tus and records the segment as uploadSegment does', async () => {
    const bytes = await archive();
    const sha256 = sha256Of(bytes);
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length, sha256 });
    expect(session.uploadUrl).toBe(`/uploads/${session.id}`);
    expect(session.offset).toBe(0);
    expect(await tusSend(app.base, session, bytes, { chunkSize: 1000 })).toBe('done');
    const done = await completeSession(app.url, session.id);
    expect(done).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { sha256, size: bytes.length },
    });
    expect((await stat(path.join(storageDir, sha256))).size).toBe(bytes.length);
    expect(await sessionFiles()).toEqual([]);
    expect(await app.store.get(keys.uploadSession(session.id))).toBeUndefined();
    // The session is over: its token opens nothing any more.
    expect((await tus(session, 'HEAD', { authorization: `Bearer ${session.token}` })).status).toBe(401);
    // Audited like every mutation.
    const audit = (await httpGraphQL(app.url, UploadAuditLog)).data?.auditLog.edges.map((e) => e.node) ?? [];
    expect(audit.map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['createUploadSession', 'completeUploadSession']),
    );
  });

  it('needs no bytes when the SHA-256 names a stored segment', async () => {
    const bytes = await archive();
    await uploadOk(app.url, { bytes, fileName: 'sonar.zip' });
    const input = { fileName: 'again.zip', size: bytes.length, sha256: sha256Of(bytes).toUpperCase() };
    const result = await httpGraphQL(app.url, CreateUploadSession, { input });
    expect(result.data?.createUploadSession).toMatchObject({ code: 'SEGMENT_ALREADY_EXISTS' });
    expect(await sessionFiles()).toEqual([]);
  });

  it.each([
    { input: { fileName: 'sonar.tar', size: 10 }, code: 'UNSUPPORTED_FORMAT' },
    { input: { fileName: 'sonar.zip', size: 17 * 1024 ** 3 }, code: 'FILE_TOO_LARGE' },
    { input: { fileName: 'sonar.zip', size: 10, sha256: 'abc' }, code: 'INVALID_INPUT' },
  ])('refuses $code before a byte is sent', async ({ input, code }) => {
    const result = await httpGraphQL(app.url, CreateUploadSession, { input });
    expect(result.data?.createUploadSession).toMatchObject({ code });
    expect(await sessionFiles()).toEqual([]);
  });

  it('answers CHECKSUM_MISMATCH when the bytes hash otherwise, and keeps nothing', async () => {
    const bytes = await archive();
    const declared = sha256Of(Buffer.from('something else'));
    const session = await createSession(app.url, {
      fileName: 'sonar.zip',
      size: bytes.length,
      sha256: declared,
    });
    await tusSend(app.base, session, bytes);
    const done = await completeSession(app.url, session.id);
    expect(done).toMatchObject({ code: 'CHECKSUM_MISMATCH', declared, actual: sha256Of(bytes) });
    expect(await sessionFiles()).toEqual([]);
    expect(await completeSession(app.url, session.id)).toMatchObject({ code: 'UPLOAD_SESSION_NOT_FOUND' });
  });

  it('refuses to complete while bytes are missing, and resumes from HEAD after an abort', async () => {
    const bytes = await archive(200_000);
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const auth = { authorization: `Bearer ${session.token}` };
    const half = bytes.subarray(0, 100_000);
    const patch = await tus(
      session,
      'PATCH',
      { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      half,
    );
    expect(patch.status).toBe(204);
    expect(patch.headers.get('upload-offset')).toBe('100000');
    expect(patch.headers.get('upload-expires')).not.toBeNull();
    expect(await completeSession(app.url, session.id)).toMatchObject({ code: 'INVALID_INPUT' });
    const head = await tus(session, 'HEAD', auth);
    expect(head.headers.get('upload-offset')).toBe('100000');
    expect(head.headers.get('upload-length')).toBe(String(bytes.length));
    expect(await tusSend(app.base, session, bytes)).toBe('done');
    expect(await completeSession(app.url, session.id)).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { sha256: sha256Of(bytes) },
    });
  });

  it('answers a PATCH at a wrong offset with 409 and changes nothing', async () => {
    const bytes = await archive();
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const headers = {
      authorization: `Bearer ${session.token}`,
      'content-type': 'application/offset+octet-stream',
    };
    expect(
      (await tus(session, 'PATCH', { ...headers, 'upload-offset': '0' }, bytes.subarray(0, 10))).status,
    ).toBe(204);
    const wrong = await tus(session, 'PATCH', { ...headers, 'upload-offset': '5' }, bytes.subarray(5, 20));
    expect(wrong.status).toBe(409);
    const head = await tus(session, 'HEAD', { authorization: headers.authorization });
    expect(head.headers.get('upload-offset')).toBe('10');
  });

  it("answers 401 to an expired, a forged, another session's or an API token, and no token", async () => {
    const bytes = await archive();
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const other = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    // Issued an hour ago with the store's shared key: a real token, expired.
    const past = new TransferTokens(new TransferTokenRecords(app.store), TOKEN_SETTINGS, {
      now: () => Date.now() - 3_600_000,
    });
    const expired = (await past.issue('UPLOAD', session.id)).token;
    const [id, mac] = session.token.split('.');
    const forged = `${id}.${mac?.startsWith('A') ? 'B' : 'A'}${mac?.slice(1)}`;
    const body = bytes.subarray(0, 10);
    for (const token of [expired, forged, other.token, 'not-a-token']) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        const response = await tus(
          session,
          method,
          {
            authorization: `Bearer ${token}`,
            'upload-offset': '0',
            'content-type': 'application/offset+octet-stream',
          },
          method === 'PATCH' ? body : undefined,
        );
        expect({ token, method, status: response.status }).toEqual({ token, method, status: 401 });
      }
    }
    expect((await tus(session, 'HEAD', {})).status).toBe(401);
    const head = await tus(session, 'HEAD', { authorization: `Bearer ${session.token}` });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('0');
  });

  it('renews a token: the new one works, the old one no longer', async () => {
    const bytes = await archive();
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const renewed = await httpGraphQL(app.url, RenewUploadSession, { id: session.id });
    const fresh = renewed.data?.renewUploadSession;
    if (fresh?.__typename !== 'RenewUploadSessionSuccess') throw new Error(JSON.stringify(renewed));
    expect(fresh.session.token).not.toBe(session.token);
    expect((await tus(session, 'HEAD', { authorization: `Bearer ${session.token}` })).status).toBe(401);
    expect((await tus(session, 'HEAD', { authorization: `Bearer ${fresh.session.token}` })).status).toBe(200);
  });

  it('terminates a session on DELETE, with its bytes', async () => {
    const bytes = await archive();
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const auth = { authorization: `Bearer ${session.token}` };
    await tus(
      session,
      'PATCH',
      { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      bytes.subarray(0, 100),
    );
    expect((await tus(session, 'DELETE', auth)).status).toBe(204);
    expect((await sessionFiles()).filter((name) => name.startsWith(session.id))).toEqual([]);
    expect(await completeSession(app.url, session.id)).toMatchObject({ code: 'UPLOAD_SESSION_NOT_FOUND' });
  });

  it('removes a session idle past UPLOAD_SESSION_TTL_H with its bytes', async () => {
    const bytes = await archive();
    const session = await createSession(app.url, { fileName: 'sonar.zip', size: bytes.length });
    const auth = { authorization: `Bearer ${session.token}` };
    await tus(
      session,
      'PATCH',
      { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      bytes.subarray(0, 100),
    );
    expect((await sessionFiles()).filter((name) => name.startsWith(session.id))).toHaveLength(2);
    // Another replica's sweep, 25 hours on (the default TTL is 24 h).
    const later = () => new Date(Date.now() + 25 * 3_600_000);
    const storage = await openFileStorage(storageDir, { logger: pino({ level: 'silent' }) });
    const sweeper = new UploadSessions({
      records: new UploadSessionRecords(app.store),
      tokens: new TransferTokens(new TransferTokenRecords(app.store), TOKEN_SETTINGS),
      storage,
      segments: undefined as never, // a sweep records no segment
      locks: new UploadLockTable(new UploadLocks(app.store)),
      settings: { ttlMs: 24 * 3_600_000, maxPerPrincipal: 50 },
      now: later,
    });
    // Files whose record was never written (a crash inside createUploadSession) go the same way.
    await storage.sessions.create('orphan');
    expect(await sweeper.sweepExpired()).toBeGreaterThanOrEqual(2);
    expect(await storage.sessions.checkpoint('orphan')).toBeUndefined();
    await sweeper.locks.close();
    expect(await app.store.get(keys.uploadSession(session.id))).toBeUndefined();
    expect((await sessionFiles()).filter((name) => name.startsWith(session.id))).toEqual([]);
    expect((await tus(session, 'HEAD', auth)).status).toBe(401);
    expect(await completeSession(app.url, session.id)).toMatchObject({ code: 'UPLOAD_SESSION_NOT_FOUND' });
  });
});

describe('completeUploadSession while the store fails', () => {
  let app: SegmentApp;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let failNextCreate = false;

  beforeAll(async () => {
    data = await tempDir('upload-session-store-fails');
    const store = await openEmbeddedKv({ dir: path.join(data.dir, 'store') });
    // The transaction that records a new segment fails once, as a store that went away would.
    const flaky: KvStore = Object.create(store);
    flaky.txn = async (request) => {
      const createsSegment = request.success.some(
        (op) => op.type === 'put' && op.key.startsWith(keys.segments),
      );
      if (failNextCreate && createsSegment && request.compare.some((c) => c.key.startsWith(keys.segments))) {
        failNextCreate = false;
        throw new StoreUnavailableError('the store went away (test)');
      }
      return store.txn(request);
    };
    app = await startSegmentApp({}, { store: flaky, dataDir: data.dir });
  });
  afterAll(async () => {
    await app?.stop();
    await data?.remove();
  });

  it('keeps the bytes: STORE_UNAVAILABLE, then the same session completes', async () => {
    const bytes = await buildSegmentZip(
      { name: 'kept', version: '1.0.0' },
      { 'bin/kept': randomBytes(5000) },
    );
    const session = await createSession(app.url, { fileName: 'kept.zip', size: bytes.length });
    expect(await tusSend(app.base, session, bytes)).toBe('done');
    failNextCreate = true;
    const failed = await httpGraphQL(app.url, CompleteUploadSession, { id: session.id });
    expect(failed.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    expect(failNextCreate).toBe(false);
    const done = await completeSession(app.url, session.id);
    expect(done).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { sha256: sha256Of(bytes), size: bytes.length },
    });
  });
});
