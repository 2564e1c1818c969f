import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { GraphQLError } from 'graphql';
import { type FileUpload, Upload } from 'graphql-upload-ts';
import type { GraphQLParams } from 'graphql-yoga';

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
    readonly status: 400 | 413,
  ) {
    super(message, { extensions: { code: 'BAD_REQUEST', http: { status } } });
  }
}

export interface MultipartOptions {
  /** Bytes per file; a longer file's stream ends at this many (the reader sees the overflow). */
  maxFileBytes: number;
  maxFiles: number;
}

type Params = GraphQLParams | GraphQLParams[];

/** Resolves with the operations once `map` has arrived; each upload resolves when its file starts. */
export function parseMultipart(req: IncomingMessage, options: MultipartOptions): Promise<Params> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
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
    const fail = (error: MultipartError) => {
      reject(error);
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
      upload.resolve(fileUpload(name, stream, info));
    });
    // More files than the map named: the extra ones are never read (the map check refused the rest).
    parser.on('filesLimit', () =>
      fail(new MultipartError(`${options.maxFiles} max file uploads exceeded.`, 413)),
    );
    parser.on('error', (error: Error) => fail(new MultipartError(error.message, 400)));
    parser.on('close', () => {
      if (!uploads) return fail(new MultipartError('the request ended before its map field', 400));
      for (const [name, upload] of uploads)
        upload.reject(new MultipartError(`file ${name} never arrived`, 400));
    });
    req.on('error', (error) => fail(new MultipartError(error.message, 400)));
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
