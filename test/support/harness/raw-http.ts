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
