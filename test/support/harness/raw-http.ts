import { connect, type Socket } from 'node:net';

/**
 * An HTTP/1.1 request written by hand on a plain socket, for what HTTP clients will not do: declare
 * a body and send only part of it, or hold it back, and read the answer meanwhile.
 */
export interface RawExchange {
  socket: Socket;
  /** The response: status and JSON body, once the server has sent it and ended its side. */
  response: Promise<{ status: number; headers: string; body: string }>;
}

export function rawRequest(
  url: string,
  head: Record<string, string>,
  firstBytes: Buffer = Buffer.alloc(0),
): RawExchange {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`];
  for (const [name, value] of Object.entries(head)) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (firstBytes.length > 0) socket.write(firstBytes);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.on('error', () => {}); // a reset after the response is read is the server's right
  const ended = new Promise((resolve) => {
    socket.once('end', resolve);
    socket.once('close', resolve);
  });
  const response = ended.then(() => {
    const text = Buffer.concat(chunks).toString();
    const split = text.indexOf('\r\n\r\n');
    const headers = text.slice(0, split);
    return { status: Number(headers.split(' ')[1]), headers, body: dechunk(headers, text.slice(split + 4)) };
  });
  return { socket, response };
}

function dechunk(headers: string, body: string): string {
  if (!/transfer-encoding: chunked/i.test(headers)) return body;
  let out = '';
  let rest = body;
  for (;;) {
    const end = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, end), 16);
    if (!size) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * One HTTP/1.1 connection kept open between requests, written by hand: to send a request on a
 * connection that has been idle, at the moment a test chooses (HTTP clients pick their pooled
 * connections themselves). Answers are framed by their `Content-Length`, which seghub sends with
 * every GraphQL answer.
 */
export function keptAliveConnection(url: string) {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let received = Buffer.alloc(0);
  let ended: string | undefined;
  let check: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    check?.();
  });
  const end = (why: string) => {
    ended ??= why;
    check?.();
  };
  socket.on('error', (error: NodeJS.ErrnoException) => end(error.code ?? error.message));
  socket.on('end', () => end('the server closed the connection'));
  socket.on('close', () => end('the connection closed'));

  /** The first whole answer received, taken off the buffer. */
  const take = (): RawAnswer | undefined => {
    const split = received.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = received.subarray(0, split).toString('latin1');
    const length = Number(/^content-length:\s*(\d+)/im.exec(headers)?.[1]);
    if (!Number.isInteger(length)) throw new Error(`an answer without Content-Length: ${headers}`);
    if (received.length < split + 4 + length) return undefined;
    const body = received.subarray(split + 4, split + 4 + length).toString();
    received = received.subarray(split + 4 + length);
    return { status: Number(headers.split(' ')[1]), headers, body };
  };

  return {
    socket,
    /** Sends a POST and resolves with its answer; rejects when the connection ends before one. */
    post(head: Record<string, string>, body: string | Buffer): Promise<RawAnswer> {
      const bytes = Buffer.from(body);
      const lines = [
        `POST ${pathname} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        `Content-Length: ${bytes.length}`,
      ];
      for (const [name, value] of Object.entries(head)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      socket.write(bytes);
      return new Promise((resolve, reject) => {
        check = () => {
          try {
            const answer = take();
            if (answer) resolve(answer);
            else if (ended) reject(new Error(`no answer: ${ended}`));
            else return;
          } catch (error) {
            reject(error);
          }
          check = undefined;
        };
        check();
      });
    },
  };
}
