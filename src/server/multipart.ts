import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import busboy from 'busboy';
import { GraphQLError } from 'graphql';
import { type FileUpload, Upload } from 'graphql-upload-ts';
import type { GraphQLParams } from 'graphql-yoga';
import { closeWithoutLingering } from './linger.js';

/**
 * The GraphQL multipart request spec (`operations`, `map`, then the files), parsed as the body
 * arrives. Each file is handed to its resolver as the request's own stream: nothing is spooled to
 * a temp file first (graphql-upload-ts's parser copies every upload to disk and reads it back,
 * which cost a 1 GiB upload about half its time). The price is that a file can be read once, by
 * one reader, which is all `uploadSegment` does. Uploads keep graphql-upload-ts's `Upload` class,
 * so its `Upload` scalar stays the contract.
 */

/** The client broke the spec. A GraphQL error, so that the resolver waiting for a file says why. */
export class MultipartError extends GraphQLError {
  constructor(
    message: string,
    readonly status: 400 | 408 | 413,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message, { extensions: { code, http: { status } } });
  }
}

export interface MultipartOptions {
  /** Bytes per file; a longer file's stream ends at this many (the reader sees the overflow). */
  maxFileBytes: number;
  maxFiles: number;
  /** A body that sends nothing for this long fails with `UPLOAD_IDLE_TIMEOUT`, its file stream with it. */
  idleTimeoutMs: number;
}

type Params = GraphQLParams | GraphQLParams[];

/**
 * Resolves with the operations once `map` has arrived; each upload resolves when its file starts.
 * A file's stream ends only once the whole body has been parsed, so that a refusal coming after
 * the file (another file part, a stray field) fails the upload rather than arrive after it was stored.
 */
export function parseMultipart(req: IncomingMessage, options: MultipartOptions): Promise<Params> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers and fetch send a file name's UTF-8 bytes as they are; busboy would read them as latin1.
        defParamCharset: 'utf8',
        limits: {
          fileSize: options.maxFileBytes,
          files: options.maxFiles,
          fields: 2,
          fieldSize: 1024 * 1024,
        },
      });
    } catch (error) {
      reject(new MultipartError((error as Error).message, 400));
      return;
    }
    let operations: unknown;
    let uploads: Map<string, Upload> | undefined;
    const body = bodyEnd();
    const idle = idleTimer(options.idleTimeoutMs, req, () => {
      closeWithoutLingering(req);
      const seconds = options.idleTimeoutMs / 1000;
      fail(new MultipartError(`the upload sent nothing for ${seconds} s`, 408, 'UPLOAD_IDLE_TIMEOUT'));
    });
    const fail = (error: MultipartError) => {
      idle.stop();
      reject(error);
      body.fail(error);
      for (const upload of uploads?.values() ?? []) upload.reject(error);
      req.unpipe(parser);
      req.resume(); // the connection closes after the refusal; meanwhile the body goes nowhere
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new MultipartError(`the ${name} field is too large`, 413));
      try {
        if (name === 'operations') operations = JSON.parse(value);
        else if (name === 'map' && operations !== undefined) {
          const built = placeUploads(operations, JSON.parse(value), options.maxFiles);
          uploads = built.uploads;
          resolve(built.params);
        } else throw new MultipartError(`unexpected field ${name}: operations, then map, then files`, 400);
      } catch (error) {
        fail(error instanceof MultipartError ? error : new MultipartError(`${name} is not valid JSON`, 400));
      }
    });
    parser.on('file', (name, stream, info) => {
      const upload = uploads?.get(name);
      if (!upload) {
        stream.resume();
        return fail(new MultipartError(`file field ${name} is not in the map`, 400));
      }
      uploads?.delete(name);
      upload.resolve(fileUpload(name, stream.pipe(body.holdEnd(stream)), info));
    });
    // More file parts than the map named (which the map check holds to `maxFiles`): refused, and
    // the file before them with it, since its stream has not ended yet.
    parser.on('filesLimit', () =>
      fail(new MultipartError(`${options.maxFiles} max file uploads exceeded.`, 413)),
    );
    parser.on('error', (error: Error) => fail(new MultipartError(error.message, 400)));
    parser.on('close', () => {
      idle.stop();
      if (!uploads) return fail(new MultipartError('the request ended before its map field', 400));
      body.end();
      for (const [name, upload] of uploads)
        upload.reject(new MultipartError(`file ${name} never arrived`, 400));
    });
    req.on('error', (error) => fail(new MultipartError(error.message, 400)));
    req.on('data', idle.touch);
    req.pipe(parser);
  });
}

/** Puts an `Upload` at every path the map names, as the spec says. */
function placeUploads(
  operations: unknown,
  map: unknown,
  maxFiles: number,
): { params: Params; uploads: Map<string, Upload> } {
  if (typeof operations !== 'object' || operations === null) {
    throw new MultipartError('operations must be an object or an array of them', 400);
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new MultipartError('map must be an object of file field names to paths', 400);
  }
  if (Object.keys(map).length > maxFiles)
    throw new MultipartError(`${maxFiles} max file uploads exceeded.`, 413);
  const uploads = new Map<string, Upload>();
  for (const [field, paths] of Object.entries(map)) {
    if (!Array.isArray(paths) || paths.length === 0)
      throw new MultipartError(`map.${field} must list paths`, 400);
    // A file can be read once: two variables sharing it would both try (and one fail mid-way).
    if (paths.length > 1)
      throw new MultipartError(
        `map.${field} names ${paths.length} paths: one file goes to one variable`,
        400,
      );
    const upload = new Upload();
    upload.promise.catch(() => {}); // a file nobody asked for must not become an unhandled rejection
    for (const path of paths) setPath(operations, String(path), upload);
    uploads.set(field, upload);
  }
  return { params: operations as Params, uploads };
}

function setPath(target: object, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null)
      throw new MultipartError(`map path ${path} names nothing`, 400);
    node = next as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (node[last] !== null) throw new MultipartError(`map path ${path} must name a null variable`, 400);
  node[last] = value;
}

function fileUpload(fieldName: string, stream: Readable, info: busboy.FileInfo): FileUpload {
  let opened = false;
  const file = {
    fieldName,
    filename: info.filename,
    mimetype: info.mimeType,
    encoding: info.encoding,
    createReadStream() {
      if (opened) throw new Error('an uploaded file can be read once');
      opened = true;
      // The parser's own stream: storage writes its chunks in batches, without copying them together.
      return stream;
    },
  };
  // The resolver reads `filename` and `createReadStream`; there is no spool file to offer.
  return file as unknown as FileUpload;
}

/**
 * The end of the multipart body, which each file stream waits for before it ends: the file's bytes
 * pass as they arrive, only its end is held back until the parser has seen the rest of the body.
 */
function bodyEnd() {
  const held = new Set<Transform>();
  const waiting: (() => void)[] = [];
  let outcome: { error?: Error } | undefined;
  const settle = (result: { error?: Error }) => {
    if (outcome) return;
    outcome = result;
    for (const release of waiting) release();
    waiting.length = 0;
  };
  return {
    end: () => settle({}),
    fail: (error: Error) => {
      settle({ error });
      for (const stream of held) stream.destroy(error);
    },
    /** A pass-through whose end waits for the body's; `source` is drained if its reader gives up. */
    holdEnd(source: Readable): Transform {
      const stream = new Transform({
        highWaterMark: 1024 * 1024,
        transform: (chunk, _encoding, done) => done(null, chunk),
        flush: (done) => {
          const release = () => {
            held.delete(stream);
            done(outcome?.error);
          };
          if (outcome) release();
          else waiting.push(release);
        },
      });
      held.add(stream);
      // The error reaches the reader when it reads; a stream failed before its resolver opened it
      // (the refusal came in the same chunk as the file) has no reader yet and must not crash.
      stream.on('error', () => {});
      stream.once('close', () => {
        held.delete(stream);
        // A reader that stopped early (the size limit) must not stall the parser behind it.
        source.unpipe(stream);
        source.resume();
      });
      return stream;
    },
  };
}

/** Calls `onIdle` when `touch` has not been called for `ms`; `stop` ends it. */
/**
 * Fires once the client has sent nothing for `ms`. Time the server holds the body back itself does
 * not count: a resolver that has not opened the file yet, or a slow disk, pauses the request by
 * backpressure (or leaves its bytes buffered), and then no data arrives through no fault of the client.
 */
function idleTimer(ms: number, req: Readable, onIdle: () => void) {
  const fire = () => {
    if (req.readableFlowing === false || req.readableLength > 0) timer?.refresh();
    else onIdle();
  };
  let timer: NodeJS.Timeout | undefined = setTimeout(fire, ms);
  return {
    touch: () => timer?.refresh(),
    stop: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
