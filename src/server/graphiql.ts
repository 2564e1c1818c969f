import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphiQLOptions } from 'graphql-yoga';
import { GRAPHIQL_FETCHER_SCRIPT } from './graphiql-fetcher.js';

/**
 * GraphiQL at /graphql, served whole by seghub: seghub runs on networks without internet, and
 * Yoga's own page loads GraphiQL from a CDN. `@graphql-yoga/render-graphiql` ships Yoga's GraphiQL
 * with its scripts, styles, fonts (data: URLs) and editor workers as strings; the page below
 * inlines them with graphql-ws's browser build and seghub's fetcher (graphiql-fetcher.ts), so it
 * asks nothing of any host but its own origin. How to pass a token: docs/clients.md.
 */

const DEFAULT_QUERY = `# seghub GraphiQL: explore the API, run queries, follow subscriptions live.
#
# With authentication on, open "Headers" below and give your API token:
#   { "Authorization": "Bearer <token>" }
# Queries and mutations send it as a header; subscriptions (graphql-ws) send it in
# the connection_init payload.

query Overview {
  version
  segments(first: 10) {
    totalCount
    edges { node { name version sync { status } } }
  }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'seghub',
  defaultQuery: DEFAULT_QUERY,
  // A token typed into the headers editor is not written to the browser's storage unless the user
  // turns on "Persist headers" in GraphiQL's settings (Yoga's default would store it).
  shouldPersistHeaders: false,
};

const require = createRequire(import.meta.url);
/** graphql-ws's browser build (not in its `exports`, so found beside the package's entry). */
const GRAPHQL_WS_BROWSER = path.join(
  path.dirname(require.resolve('graphql-ws')),
  '..',
  'umd',
  'graphql-ws.min.js',
);

/**
 * The browser itself keeps the page on its own origin: scripts and styles are inline, fonts and
 * images data: URLs, the editor's workers blob: URLs, and requests (HTTP and graphql-ws) go only to
 * the origin. A <meta> policy, so that it travels with the page whoever serves it.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  'worker-src blob:',
  "style-src 'unsafe-inline'",
  'font-src data:',
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The page is ~9 MB of inlined code: built once, on first use, so a server nobody browses never
 * holds it, and kept as UTF-8 bytes outside the JavaScript heap.
 */
let page: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** Yoga's `renderGraphiQL`: the options are always `GRAPHIQL_OPTIONS`. */
export function renderGraphiQLPage(options: GraphiQLOptions): Promise<Uint8Array<ArrayBuffer>> {
  if (!page) {
    page = buildPage(options).then((html) => new TextEncoder().encode(html));
    page.catch(() => {
      page = undefined;
    });
  }
  return page;
}

async function buildPage(options: GraphiQLOptions): Promise<string> {
  const [graphiql, graphqlWs] = await Promise.all([
    import('@graphql-yoga/render-graphiql/graphiql'),
    readFile(GRAPHQL_WS_BROWSER, 'utf8'),
  ]);
  const { css, js, favicon, editorWorkerService, jsonWorker, graphqlWorker } = graphiql;
  // The layout of render-graphiql's own page, with the fetcher added; a title is text, not markup.
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}" />
    <meta name="referrer" content="no-referrer" />
    <title>${title}</title>
    <link rel="icon" href="${options.favicon ?? favicon}" />
    <style>${css}</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>${graphqlWs}</script>
    <script>
      ${GRAPHIQL_FETCHER_SCRIPT}
      function workerUrl(source) {
        return URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
      }
      const workers = {
        editorWorkerService: workerUrl(${JSON.stringify(editorWorkerService)}),
        json: workerUrl(${JSON.stringify(jsonWorker)}),
        graphql: workerUrl(${JSON.stringify(graphqlWorker)}),
      };
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
      ${js};
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), {
        ...${scriptJson({ ...options, title })},
        fetcher: seghubGraphiQLFetcher(${scriptJson(options.endpoint ?? null)}),
      });
    </script>
  </body>
</html>
`;
}

/** JSON inside a <script>: no `</script>` can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
