/**
 * GraphQL multipart request bodies written by hand, for clients that need the raw bytes: to send
 * part of a body and hold the rest back, or to upload without fetch's FormData encoding cost.
 */
export const MULTIPART_BOUNDARY = 'seghub-test-boundary-7f3a';

export const multipartContentType = `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`;

/** One part, with the delimiter before it; a file part when `fileName` is given. */
export function multipartPart(name: string, value: string | Buffer, fileName?: string): Buffer {
  const file = fileName ? `; filename="${fileName}"\r\nContent-Type: application/zip` : '';
  return Buffer.concat([
    Buffer.from(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`),
    Buffer.from(value),
    Buffer.from('\r\n'),
  ]);
}

/** The whole body of an upload: `operations` with `query` taking `$file`, the map, the file. */
export function uploadBody(query: string, fileName: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    multipartPart('operations', JSON.stringify({ query, variables: { file: null } })),
    multipartPart('map', JSON.stringify({ 0: ['variables.file'] })),
    multipartPart('0', bytes, fileName),
    Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`),
  ]);
}
