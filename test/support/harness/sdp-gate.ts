import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of one SDP platform that can stop passing the platform's bytes to seghub.
 * `hold(n)` lets `n` more bytes through and then holds everything else (seghub sees a stalled
 * stream, not an error); `open()` lets new connections flow freely again.
 */
export interface SdpGate {
  /** `host:port`, for SDP_DEPLOY_ADDR. */
  readonly address: string;
  hold(bytes: number): void;
  open(): void;
  close(): Promise<void>;
}

export async function startSdpGate(target: string): Promise<SdpGate> {
  const separator = target.lastIndexOf(':');
  const host = target.slice(0, separator);
  const port = Number(target.slice(separator + 1));
  const sockets = new Set<Socket>();
  let budget = Number.POSITIVE_INFINITY;
  const server = createServer((client) => {
    const upstream = createConnection({ host, port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const passed = Math.min(chunk.length, budget);
      budget -= passed;
      // The rest of a cut chunk is dropped: the connection is held until seghub dies with it.
      if (passed < chunk.length) upstream.pause();
      if (passed > 0 && !client.write(chunk.subarray(0, passed))) {
        upstream.pause();
        client.once('drain', () => {
          if (budget > 0) upstream.resume();
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: gatePort } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${gatePort}`,
    hold(bytes) {
      budget = bytes;
    },
    open() {
      budget = Number.POSITIVE_INFINITY;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
