import type { Locator, Page, WebSocket as PageSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteSegment } from '../support/documents/segment-delete-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, writeTokenFile } from '../support/harness/auth.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * GraphiQL at /graphql in headless Chromium, every request to another host refused and recorded:
 * the page must come whole from seghub (no CDN), run queries over HTTP and subscriptions over
 * graphql-ws, and carry a token typed into its Headers editor to both.
 */
describe.runIf(policy.run || policy.missingInCi)('GraphiQL, offline', () => {
  describe('open mode', () => {
    const session = graphiqlSession(() => ({}));
    it('shows the editor, runs a query and streams a subscription', async () => {
      await session.current().exercise();
    }, 90_000);
  });

  describe('with authentication', () => {
    let tokens: Record<'viewer' | 'operator' | 'admin', string>;
    const session = graphiqlSession(async (dir) => {
      const file = await writeTokenFile(dir);
      tokens = file.tokens;
      return { AUTH_TOKENS_FILE: file.file };
    });
    it('sends the token from the Headers editor as a header and in connection_init', async () => {
      const { page, exercise } = session.current();
      // Without a token the query is refused, and GraphiQL shows why.
      await runOperation(page, 'Anonymous', 'query Anonymous { version }');
      await responseShows(page, /not authenticated/i);
      await exercise(tokens.viewer, tokens.operator);
    }, 90_000);
  });
});

interface Session {
  page: Page;
  /** Runs the whole tour: editor, query, subscription; `token` typed into the Headers editor. */
  exercise(token?: string, writerToken?: string): Promise<void>;
}

function graphiqlSession(env: (dir: string) => Promise<Record<string, string>> | Record<string, string>) {
  let app: SegmentApp;
  let browser: TestBrowser;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let session: Session;
  const outside: string[] = [];
  const sockets: PageSocket[] = [];
  const initPayloads: unknown[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    data = await tempDir('seghub-graphiql');
    app = await startSegmentApp(await env(data.dir));
    browser = await launchChromium();
    // Every request of the page and its workers: anything not for this machine is refused and noted.
    await browser.context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol.startsWith('http') && !LOCAL_HOSTS.has(url.hostname)) {
        outside.push(url.href);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    // A request the page's content security policy blocked would not reach the route above.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) outside.push(`CSP: ${message.text()}`);
    });
    page.on('websocket', (socket) => {
      sockets.push(socket);
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: unknown };
        if (message.type === 'connection_init') initPayloads.push(message.payload);
      });
    });
    session = {
      page,
      exercise: (token, writerToken) =>
        exercise(page, app, { token, writerToken, outside, sockets, initPayloads }),
    };
    await page.goto(`${app.base}/graphql`);
    await page.getByLabel('Operation Editor').waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await data?.remove();
  });

  return { current: () => session };
}

async function exercise(
  page: Page,
  app: SegmentApp,
  options: {
    token?: string;
    writerToken?: string;
    outside: string[];
    sockets: PageSocket[];
    initPayloads: unknown[];
  },
): Promise<void> {
  const { token, writerToken = token } = options;
  const auth = writerToken ? bearer(writerToken) : {};
  if (token) await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${token}` }));

  // A query over HTTP, with its result in the response pane.
  await runOperation(page, 'Overview', 'query Overview { version segments(first: 5) { totalCount } }');
  await responseShows(page, /"version":\s*"/);
  await responseShows(page, /"totalCount":\s*0/);

  // A subscription over graphql-ws: the segment now, then its changes until its tombstone.
  const upload = await uploadSegment(
    app.url,
    {
      bytes: await buildSegmentZip({ name: 'graphiql-live', version: '1.0.0' }),
      fileName: 'graphiql-live.zip',
    },
    auth,
  );
  if (upload.__typename !== 'UploadSegmentSuccess') throw new Error(JSON.stringify(upload));
  const id = upload.segment.id;
  await runOperation(
    page,
    'Follow',
    `subscription Follow { segmentUpdated(id: "${id}") { name sync { status } deleteStatus deleted } }`,
  );
  await responseShows(page, /"name":\s*"graphiql-live"/);
  // Deleting waits for SDP to have it; each step arrives as an event of the running subscription.
  await responseShows(page, /"status":\s*"SYNCED"/);
  const deleted = await httpGraphQL(app.url, DeleteSegment, { id }, auth);
  expect(deleted.data?.deleteSegment.__typename).toBe('DeleteSegmentSuccess');
  await responseShows(page, /"deleted":\s*true/);

  expect(options.sockets.map((socket) => new URL(socket.url()).host)).toContain(new URL(app.base).host);
  if (token) expect(options.initPayloads).toContainEqual({ authorization: `Bearer ${token}` });
  expect(options.outside).toEqual([]);
}

/**
 * Replaces the operation editor's text and runs it (Ctrl-Enter), once GraphiQL has read the new
 * operation's name (its tab shows it): until then it would send the previous one's.
 */
async function runOperation(page: Page, name: string, operation: string): Promise<void> {
  await replaceText(page, page.getByLabel('Operation Editor'), operation);
  await page.getByRole('tablist').getByText(name, { exact: true }).waitFor();
  await page.keyboard.press('Control+Enter');
}

async function setHeaders(page: Page, headers: string): Promise<void> {
  await page.getByText('Headers', { exact: true }).click();
  await replaceText(page, page.locator('[data-uri$="-request-headers.json"]'), headers);
}

async function replaceText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Inserted at once, as a paste is: typing would let the editor close brackets a second time.
  await page.keyboard.insertText(text);
}

/** Waits until the response pane's text matches (the pane renders spaces as U+00A0). */
async function responseShows(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    ({ source, flags }) => {
      const text = document.querySelector('.graphiql-response')?.textContent ?? '';
      return new RegExp(source, flags).test(text.replace(/\u00a0/g, ' '));
    },
    { source: pattern.source, flags: pattern.flags },
  );
}
