import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUploadSession, RenewUploadSession } from '../support/documents/upload-session-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import {
  completeSession,
  createSession,
  sha256Of,
  type TestSession,
  tusSend,
} from '../support/fixtures/tus-upload.js';
import { bearer, sha256Hex } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/** Upload sessions' limits: per principal, per owner, and the concurrency PATCHes share with multipart uploads. */

describe('the bound on open upload sessions per principal', () => {
  let app: SegmentApp;
  beforeAll(async () => {
    app = await startSegmentApp({ MAX_UPLOAD_SESSIONS_PER_PRINCIPAL: '2' });
  });
  afterAll(() => app?.stop());

  it('refuses one more with TOO_MANY_UPLOAD_SESSIONS, and admits one again once a session ends', async () => {
    const input = { fileName: 'sonar.zip', size: 100 };
    const first = await createSession(app.url, input);
    await createSession(app.url, input);
    const refused = await httpGraphQL(app.url, CreateUploadSession, { input });
    expect(refused.data?.createUploadSession).toMatchObject({ code: 'TOO_MANY_UPLOAD_SESSIONS' });
    const deleted = await fetch(new URL(first.uploadUrl, app.base), {
      method: 'DELETE',
      headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${first.token}` },
    });
    expect(deleted.status).toBe(204);
    await createSession(app.url, input);
  });
});

describe('creates at the same moment against the per-principal bound', () => {
  let app: SegmentApp;
  beforeAll(async () => {
    app = await startSegmentApp({ MAX_UPLOAD_SESSIONS_PER_PRINCIPAL: '2' });
  });
  afterAll(() => app?.stop());

  it('never lets them pass the bound together', async () => {
    const input = { fileName: 'race.zip', size: 100 };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => httpGraphQL(app.url, CreateUploadSession, { input })),
    );
    const kinds = answers.map((a) => a.data?.createUploadSession.__typename);
    expect(kinds.every((k) => k === 'CreateUploadSessionSuccess' || k === 'TooManyUploadSessionsError')).toBe(
      true,
    );
    expect(kinds.filter((k) => k === 'CreateUploadSessionSuccess').length).toBeLessThanOrEqual(2);
    // What stayed open is what was answered as open, and one more fits if the race left room.
    const open = kinds.filter((k) => k === 'CreateUploadSessionSuccess').length;
    const more = await httpGraphQL(app.url, CreateUploadSession, { input });
    expect(more.data?.createUploadSession.__typename).toBe(
      open < 2 ? 'CreateUploadSessionSuccess' : 'TooManyUploadSessionsError',
    );
  });
});

describe('upload sessions with authentication on', () => {
  let app: SegmentApp;
  let dir: { dir: string; remove: () => Promise<void> };
  const tokens = {
    alice: 'st_alice_0123456789abcdef',
    bob: 'st_bob_0123456789abcdef',
    root: 'st_root_0123456789abcdef',
  };
  beforeAll(async () => {
    dir = await tempDir('seghub-upload-auth');
    const file = path.join(dir.dir, 'tokens.txt');
    await writeFile(
      file,
      `operator ${sha256Hex(tokens.alice)} alice\noperator ${sha256Hex(tokens.bob)} bob\nadmin ${sha256Hex(tokens.root)} root\n`,
    );
    app = await startSegmentApp({ AUTH_TOKENS_FILE: file });
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.remove();
  });

  it('keeps a session to its owner (and admins), and takes no API token on /uploads', async () => {
    const bytes = await buildSegmentZip({ name: 'owned', version: '1.0.0' }, {}, { compression: 'STORE' });
    const session = await createSession(
      app.url,
      { fileName: 'owned.zip', size: bytes.length },
      bearer(tokens.alice),
    );
    const renew = (token: string) =>
      httpGraphQL(app.url, RenewUploadSession, { id: session.id }, bearer(token));
    expect((await renew(tokens.bob)).data?.renewUploadSession).toMatchObject({
      code: 'UPLOAD_SESSION_NOT_FOUND',
    });
    expect(await completeSession(app.url, session.id, bearer(tokens.bob))).toMatchObject({
      code: 'UPLOAD_SESSION_NOT_FOUND',
    });
    const byAdmin = (await renew(tokens.root)).data?.renewUploadSession;
    expect(byAdmin?.__typename).toBe('RenewUploadSessionSuccess');
    const head = (token: string) =>
      fetch(new URL(session.uploadUrl, app.base), {
        method: 'HEAD',
        headers: { 'tus-resumable': '1.0.0', ...bearer(token) },
      });
    // The owner's own API token is not an upload token.
    expect((await head(tokens.alice)).status).toBe(401);
    if (byAdmin?.__typename !== 'RenewUploadSessionSuccess') return;
    await tusSend(app.base, byAdmin.session, bytes);
    expect(await completeSession(app.url, session.id, bearer(tokens.alice))).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { name: 'owned', sha256: sha256Of(bytes) },
    });
  });
});

describe('tus PATCHes and MAX_CONCURRENT_UPLOADS', () => {
  let app: SegmentApp;
  beforeAll(async () => {
    app = await startSegmentApp({ MAX_CONCURRENT_UPLOADS: '1' });
  });
  afterAll(() => app?.stop());

  it('refuses a PATCH (503) while MAX_CONCURRENT_UPLOADS others run, and takes it after', async () => {
    const first = await createSession(app.url, { fileName: 'a.zip', size: 1000 });
    const second = await createSession(app.url, { fileName: 'b.zip', size: 1000 });
    const patch = (session: TestSession, body: BodyInit) =>
      fetch(new URL(session.uploadUrl, app.base), {
        method: 'PATCH',
        headers: {
          'tus-resumable': '1.0.0',
          authorization: `Bearer ${session.token}`,
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
        },
        body,
        duplex: 'half',
      } as RequestInit);
    let finish: () => void = () => {};
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        finish = () => controller.close();
      },
    });
    const running = patch(first, slow);
    // An empty PATCH changes nothing: it only shows whether a slot is free.
    await waitFor(async () => (await patch(second, new Uint8Array(0))).status === 503, {
      message: 'the second PATCH refused while the first holds the only slot',
    });
    finish();
    expect((await running).headers.get('upload-offset')).toBe('10');
    expect((await patch(second, new Uint8Array(0))).status).toBe(204);
  });
});

describe('a tus PATCH that goes silent', () => {
  let app: SegmentApp;
  beforeAll(async () => {
    app = await startSegmentApp({ MAX_CONCURRENT_UPLOADS: '1', UPLOAD_IDLE_TIMEOUT_MS: '300' });
  });
  afterAll(() => app?.stop());

  it('is cut off after UPLOAD_IDLE_TIMEOUT_MS: its slot is freed, its bytes kept for the resume', async () => {
    const stuck = await createSession(app.url, { fileName: 'a.zip', size: 1000 });
    const other = await createSession(app.url, { fileName: 'b.zip', size: 1000 });
    const headers = (session: TestSession) => ({
      'tus-resumable': '1.0.0',
      authorization: `Bearer ${session.token}`,
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    });
    // Ten bytes, then nothing: the sender stays connected and silent.
    const silent = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10).fill(7));
      },
    });
    const running = fetch(new URL(stuck.uploadUrl, app.base), {
      method: 'PATCH',
      headers: headers(stuck),
      body: silent,
      duplex: 'half',
    } as RequestInit).catch((error: Error) => error);
    // Cut off: the fetch fails, rather than waiting for the server's 15-minute socket timeout.
    expect(await running).toBeInstanceOf(Error);
    const head = await fetch(new URL(stuck.uploadUrl, app.base), { method: 'HEAD', headers: headers(stuck) });
    expect(head.headers.get('upload-offset')).toBe('10');
    // The only slot is free again.
    const next = await fetch(new URL(other.uploadUrl, app.base), {
      method: 'PATCH',
      headers: headers(other),
      body: new Uint8Array(5),
    });
    expect(next.status).toBe(204);
    const metrics = await (await fetch(new URL('/metrics', app.base))).text();
    expect(metrics).toMatch(/^seghub_upload_session_stalls_total 1$/m);
  });
});
