import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a closing connection keeps discarding what its client still sends (nginx's `lingering_time`). */
const LINGER_MS = 30_000;

/**
 * For a response sent before its request's body has fully arrived (a refusal: CSRF, authentication,
 * a size limit). The connection closes after the response, but not at once: Node's HTTP server
 * destroys a `Connection: close` socket as soon as the response is flushed, and closing a socket with
 * unread bytes sends a reset, which makes a client still writing its body fail (`EPIPE` in Node's
 * fetch) before it reads the answer. So, as nginx's lingering close does, the socket half-closes
 * and the rest of the body is read and discarded, up to `maxBytes` and `LINGER_MS`, before it is
 * closed. A body declared larger than `maxBytes` is not read at all: the client may then see a
 * reset, but no client can make the server read gigabytes it refused.
 */
export function closeLingering(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  res.shouldKeepAlive = false;
  const declared = Number(req.headers['content-length']);
  if (maxBytes === 0 || (Number.isFinite(declared) && declared > maxBytes) || silent.has(req)) return;
  const socket = req.socket;
  // Called by Node's HTTP server once the response has been flushed (and only then).
  socket.destroySoon = () => {
    socket.end();
    let discarded = 0;
    const stop = () => socket.destroy();
    const timer = setTimeout(stop, LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > maxBytes) stop();
    });
    req.once('end', stop);
    req.once('error', stop);
    req.resume();
    if (req.readableEnded) stop();
  };
}

const silent = new WeakSet<IncomingMessage>();

/** A request whose client went silent (an idle upload): its connection closes right after the response. */
export function closeWithoutLingering(req: IncomingMessage): void {
  silent.add(req);
}
