/**
 * The fetcher seghub's GraphiQL page runs in the browser (plain JavaScript, inlined by
 * `graphiql.ts`; it expects graphql-ws's browser build as the global `graphqlWs`).
 *
 * Queries and mutations go as JSON POSTs with the headers of the Headers editor. A JSON POST is
 * preflighted by browsers, so CSRF prevention (csrf.ts) lets it through without a
 * CSRF header. Subscriptions go over graphql-ws on the same path; a browser cannot set headers
 * on a WebSocket, so the editor's `Authorization` header goes into the `connection_init` payload
 * (`{ "authorization": "Bearer …" }`, what ws-auth.ts reads). One lazy graphql-ws client per
 * distinct Authorization value: a changed token opens a new connection rather than reuse one
 * authenticated as someone else.
 */
export const GRAPHIQL_FETCHER_SCRIPT = String.raw`
function seghubGraphiQLFetcher(endpointPath) {
  var endpoint = new URL(endpointPath || location.pathname, location.href);
  var socketUrl = new URL(endpoint.href);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var clients = new Map();

  function authorizationOf(headers) {
    for (var name in headers || {}) {
      if (name.toLowerCase() === 'authorization' && typeof headers[name] === 'string') return headers[name];
    }
    return undefined;
  }

  function clientFor(authorization) {
    var key = authorization || '';
    var client = clients.get(key);
    if (!client) {
      client = graphqlWs.createClient({
        url: socketUrl.href,
        lazy: true,
        connectionParams: authorization ? { authorization: authorization } : {},
      });
      clients.set(key, client);
    }
    return client;
  }

  function isSubscription(params, opts) {
    var document = opts && opts.documentAST;
    if (!document) return /^\s*subscription\b/.test(params.query);
    var operations = document.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; });
    var operation = params.operationName
      ? operations.find(function (d) { return d.name && d.name.value === params.operationName; })
      : operations[0];
    return Boolean(operation) && operation.operation === 'subscription';
  }

  // A refused or dropped socket ends the stream with a close event; GraphiQL shows an Error's message.
  async function* stream(client, params) {
    try {
      for await (var result of client.iterate(params)) yield result;
    } catch (error) {
      if (error && typeof error.code === 'number') {
        throw new Error('graphql-ws connection closed: ' + error.code + ' ' + (error.reason || ''));
      }
      throw error;
    }
  }

  return function fetcher(params, opts) {
    var headers = (opts && opts.headers) || {};
    var payload = { query: params.query, operationName: params.operationName || undefined, variables: params.variables || undefined };
    if (isSubscription(params, opts)) return stream(clientFor(authorizationOf(headers)), payload);
    return fetch(endpoint.href, {
      method: 'POST',
      credentials: 'same-origin',
      headers: Object.assign(
        { accept: 'application/graphql-response+json, application/json', 'content-type': 'application/json' },
        headers,
      ),
      body: JSON.stringify(payload),
    }).then(function (response) { return response.json(); });
  };
}
`;
