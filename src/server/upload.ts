import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { type FileUpload, processRequest, Upload } from 'graphql-upload-ts';
import type { GraphQLParams, Plugin } from 'graphql-yoga';

/**
 * GraphQL multipart requests (uploads) parsed by graphql-upload-ts instead of Yoga's own parser,
 * which buffers whole files in memory. The file streams to the resolver as it arrives.
 */

type NodeContext = { req: IncomingMessage; res: ServerResponse };

export interface UploadPluginOptions {
  /** Largest file accepted; the resolver enforces it exactly, the parser stops just past it. */
  maxFileBytes: number;
  /** How long a client that keeps sending after its request was answered may linger. */
  lingerMs?: number;
}

export function uploadPlugin({
  maxFileBytes,
  lingerMs = 5000,
}: UploadPluginOptions): Plugin<Record<string, never>, NodeContext> {
  return {
    onRequestParse({ request, serverContext, setRequestParser, fetchAPI }) {
      const contentType = request.headers.get('content-type') ?? '';
      if (!/^multipart\/form-data\b/i.test(contentType)) return;
      const { req, res } = serverContext;
      // Now rather than in the parser: a request refused before parsing (CSRF, authentication)
      // must not make the server read the gigabytes behind it either.
      closeAfterResponse(req, res, lingerMs);
      setRequestParser(async () => {
        try {
          const params = await processRequest<GraphQLParams | GraphQLParams[]>(req, res, {
            maxFiles: 1,
            // One byte past the limit: the resolver sees the overflow and answers FILE_TOO_LARGE.
            maxFileSize: maxFileBytes + 1,
          });
          for (const one of Array.isArray(params) ? params : [params])
            forEachUpload(one.variables, smallTailReads);
          return params;
        } catch (error) {
          return refusal(fetchAPI, error);
        }
      });
    },
  };
}

/**
 * The parser spools each file to a temp file (fs-capacitor) that the resolver reads while it is
 * still being written. Every read allocates its full `highWaterMark` but, tailing the writer, gets
 * only the few KiB written since the last one: with the 1 MiB reads storage asks for, a 1 GiB
 * upload allocated many times its size and spent 40 % of its CPU in the garbage collector (bench
 * upload-1g: 29 s before this, 7 to 10 s after).
 * So the temp file is read in small pieces, gathered into chunks of the size the reader asked for.
 */
const TAIL_READ_BYTES = 64 * 1024;

function smallTailReads(upload: Upload): void {
  const original = upload.promise;
  const promise = original.then(
    (file): FileUpload =>
      Object.assign(Object.create(file) as FileUpload, {
        createReadStream: (options?: Parameters<FileUpload['createReadStream']>[0]) => {
          const source = file.createReadStream({ ...options, highWaterMark: TAIL_READ_BYTES });
          const gathered = gather(options?.highWaterMark ?? TAIL_READ_BYTES);
          source.on('error', (error) => gathered.destroy(error));
          gathered.on('close', () => source.destroy());
          return source.pipe(gathered) as unknown as ReturnType<FileUpload['createReadStream']>;
        },
      }),
  );
  promise.catch(() => {}); // as the original: a rejection nobody awaits is not a crash
  (upload as { promise: Promise<FileUpload> }).promise = promise;
}

/** Concatenates chunks until `bytes` have gathered, so the consumer writes and hashes in big pieces. */
function gather(bytes: number): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      size += chunk.length;
      if (size < bytes) return done();
      const whole = Buffer.concat(parts, size);
      parts = [];
      size = 0;
      done(null, whole);
    },
    flush(done) {
      done(null, size ? Buffer.concat(parts, size) : undefined);
    },
  });
}

function forEachUpload(value: unknown, visit: (upload: Upload) => void): void {
  if (value instanceof Upload) visit(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) forEachUpload(v, visit);
}

/**
 * A refused upload is answered before its body has arrived. Keeping the connection would mean
 * reading (and discarding) gigabytes the client still sends, so the connection closes after the
 * response; a client that goes on sending is cut off after a short grace period rather than
 * reset at once, which could destroy the response it has not read yet.
 */
function closeAfterResponse(req: IncomingMessage, res: ServerResponse, lingerMs: number): void {
  res.shouldKeepAlive = false;
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), lingerMs);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  });
}

/** A malformed multipart request is the client's mistake: its status (400, 413) and a GraphQL-shaped body. */
function refusal(fetchAPI: { Response: typeof Response }, error: unknown): Response {
  const status = (error as { status?: unknown }).status;
  const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
  const message = error instanceof Error ? error.message : 'invalid multipart request';
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }),
    {
      status: code,
      headers: { 'content-type': 'application/json' },
    },
  );
}
