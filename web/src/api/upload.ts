import type { UploadSegmentFileMutation } from '../generated/graphql.js';
import { UploadSegmentFile } from './documents.js';
import { GRAPHQL_PATH, RequestError, readResult } from './http.js';
import { authHeaders } from './token.js';

export interface UploadHandle {
  /** Settles with the mutation's data, or rejects with a RequestError in words. */
  readonly done: Promise<UploadSegmentFileMutation>;
  abort(): void;
}

/**
 * Sends the file as a GraphQL multipart request (`operations`, `map`, then the file). XHR rather
 * than fetch: only XHR reports how many bytes of a request body have been sent.
 */
export function uploadSegmentFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadSegmentFileMutation>((resolve, reject) => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: UploadSegmentFile.toString(), variables: { file: null } }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', file, file.name);
    xhr.open('POST', GRAPHQL_PATH);
    xhr.setRequestHeader('accept', 'application/graphql-response+json, application/json');
    // seghub refuses multipart requests without it (CSRF prevention: a cross-site form cannot set it).
    xhr.setRequestHeader('x-graphql-yoga-csrf', '1');
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      try {
        resolve(readResult<UploadSegmentFileMutation>(xhr.status, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new RequestError('The upload was cut off: seghub cannot be reached.'));
    xhr.onabort = () => reject(new RequestError('The upload was cancelled.'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
