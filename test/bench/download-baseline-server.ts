import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * The download baseline, run as its own process (so its memory is its own): a minimal node:http
 * server that answers every GET with one file, read from disk and written to the socket by a plain
 * read stream piped into the response. No token, no store, no range: the least a download endpoint
 * does with the same bytes. It reads in 256 KiB as seghub does (node's default 64 KiB took 1.35 s
 * for 1 GiB against 0.82 s), so the ratio is seghub's own cost, not a buffer size. Started with the
 * file as its argument; sends `{ port }` to its parent.
 */
const READ_CHUNK = 256 * 1024;
const file = process.argv[2];
if (!file) throw new Error('usage: download-baseline-server <file>');

const server = createServer((req, res) => {
  stat(file).then(
    ({ size }) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      pipeline(createReadStream(file, { highWaterMark: READ_CHUNK }), res, () => {});
    },
    (error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    },
  );
  req.resume();
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
