import { openAsBlob } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { type ExecutionResult, print } from 'graphql';
import type { UploadSegmentMutation } from '../generated/graphql.js';
import { httpGraphQL } from './graphql-client.js';
import { GetSegment, UploadSegment } from './segment-documents.js';
import { waitFor } from './wait-for.js';

export type UploadResult = UploadSegmentMutation['uploadSegment'];

/**
 * `uploadSegment` as a browser sends it: a GraphQL multipart request (operations, map, one file),
 * with the header CSRF prevention asks of multipart requests. The body streams from disk when
 * given a path.
 */
export async function uploadSegment(
  url: string,
  file: { bytes: Uint8Array; fileName: string } | { path: string; fileName?: string },
  headers: Record<string, string> = {},
): Promise<UploadResult> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: print(UploadSegment), variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  if ('bytes' in file) form.set('0', new Blob([new Uint8Array(file.bytes)]), file.fileName);
  else form.set('0', await openAsBlob(file.path), file.fileName ?? path.basename(file.path));
  const response = await fetch(url, {
    method: 'POST',
    body: form,
    headers: { 'x-graphql-yoga-csrf': '1', ...headers },
  });
  const result = (await response.json()) as ExecutionResult<UploadSegmentMutation>;
  if (result.errors?.length || !result.data) {
    throw new Error(`uploadSegment failed (${response.status}): ${JSON.stringify(result.errors)}`);
  }
  return result.data.uploadSegment;
}

/** Uploads and expects success; returns the new segment. */
export async function uploadOk(url: string, file: Parameters<typeof uploadSegment>[1]) {
  const result = await uploadSegment(url, file);
  if (result.__typename !== 'UploadSegmentSuccess')
    throw new Error(`upload refused: ${JSON.stringify(result)}`);
  return result.segment;
}

export async function getSegment(url: string, id: string) {
  const result = await httpGraphQL(url, GetSegment, { id });
  if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
  return result.data?.segment ?? null;
}

/** Waits until the segment's sync status is `status` (and returns it). */
export function waitForSyncStatus(url: string, id: string, status: 'SYNCED' | 'FAILED', timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const segment = await getSegment(url, id);
      return segment?.sync.status === status ? segment : undefined;
    },
    { timeoutMs, intervalMs: 50, message: `segment ${id} ${status}` },
  );
}

/** What storage holds: the content-addressed files, and anything left in its temp area. */
export async function storageContents(dataDir: string): Promise<{ files: string[]; temp: string[] }> {
  const dir = path.join(dataDir, 'segments');
  const list = (d: string) => readdir(d).catch(() => [] as string[]);
  const files = (await list(dir)).filter((name) => name !== '.tmp').sort();
  return { files, temp: (await list(path.join(dir, '.tmp'))).sort() };
}

/**
 * Waits until storage no longer holds the file: a removal deletes the record first and the file
 * right after, so the record being gone does not yet mean the file is.
 */
export function waitForFileGone(dataDir: string, sha256: string, timeoutMs = 15_000) {
  return waitFor(async () => !(await storageContents(dataDir)).files.includes(sha256), {
    timeoutMs,
    intervalMs: 50,
    message: `file ${sha256.slice(0, 12)}… removed from storage`,
  });
}
