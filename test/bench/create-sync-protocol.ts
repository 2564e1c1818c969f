/** Messages between the bench and its create-sync client process (`create-sync-clients.ts`). */

export interface SmallFile {
  path: string;
  name: string;
  version: string;
}

export type CreateSyncCommand =
  /** Upload `files` to seghub, `clients` at a time, and time it until every one is SYNCED. */
  | { cmd: 'seghub'; url: string; files: SmallFile[]; clients: number; timeoutMs: number }
  /** Create `files` straight on the simulator with the SDP client, `clients` at a time. */
  | { cmd: 'baseline'; address: string; files: SmallFile[]; clients: number };

export type CreateSyncReport = { kind: 'done'; ms: number } | { kind: 'error'; message: string };

export function isCreateSyncReport(message: unknown): message is CreateSyncReport {
  return typeof message === 'object' && message !== null && 'kind' in message;
}
