import type { InstallStatus, SeatInstallState, SyncStatus } from '../generated/graphql.js';

const SYNC_WORDS: Record<SyncStatus, string> = { SYNCED: 'Synced', PENDING: 'Pending', FAILED: 'Failed' };

export function SyncBadge({ status }: { status: SyncStatus }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{SYNC_WORDS[status]}</span>;
}

const INSTALL_WORDS: Record<InstallStatus, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  PARTIALLY_SUCCEEDED: 'Partly failed',
  FAILED: 'Failed',
};

export function InstallStatusBadge({ status }: { status: InstallStatus }) {
  const tone = status === 'PARTIALLY_SUCCEEDED' ? 'failed' : status.toLowerCase();
  return <span class={`badge badge-${tone}`}>{INSTALL_WORDS[status]}</span>;
}

const SEAT_WORDS: Record<SeatInstallState, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  SUCCEEDED: 'Done',
  FAILED: 'Failed',
};

export function SeatStateBadge({ state }: { state: SeatInstallState }) {
  return <span class={`badge badge-${state.toLowerCase()}`}>{SEAT_WORDS[state]}</span>;
}
