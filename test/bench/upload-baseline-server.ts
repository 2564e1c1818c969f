import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The upload baseline, run as its own process (so its memory is its own): a minimal node:http server
 * that pipes each request body to a file while hashing it with SHA-256, fsyncs the file, and answers
 * with both. It does no multipart parsing: the least any upload endpoint that acknowledges only what
 * is on disk must do with the same bytes. (Without the fsync the kernel's flusher threads write the
 * file back, on CPU no process is charged for, while seghub's own fsync is charged to seghub.)
 * Started with the output directory as its argument; sends `{ port }` to its parent once listening.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: upload-baseline-server <dir>');
let n = 0;

const server = createServer((req, res) => {
  const file = path.join(dir, `upload-${++n}`);
  const hash = createHash('sha256');
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  pipeline(req, hashing, createWriteStream(file))
    .then(() => fsync(file))
    .then(
      () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ file, size, sha256: hash.digest('hex') }));
      },
      (error: Error) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: error.message }));
      },
    );
});
async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
