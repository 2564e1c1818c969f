import { encodeGlobalID } from '@pothos/plugin-relay';
import type {
  RemoteSyncEntry,
  RemoteSyncFailure,
  RemoteSyncReport,
} from '../domain/segments/remote-sync-service.js';
import { RemoteSyncTimeoutError } from '../model/errors.js';
import { SDP_TARGETS } from '../model/targets.js';
import { builder } from './builder.js';
import { DateTimeScalar } from './scalars.js';
import { SdpTargetEnum, SegmentRef } from './segment.js';

/** A report as GraphQL shows it; the combined report of `syncRemote` has no single target. */
type ReportView = Omit<RemoteSyncReport, 'target'> & { target?: RemoteSyncReport['target'] };

const RemoteSyncSegmentRef = builder.objectRef<RemoteSyncEntry>('RemoteSyncSegment').implement({
  description: 'A segment the remote sync added to seghub or removed from it.',
  fields: (t) => ({
    id: t.id({
      description: 'The Segment id it has (added) or had (removed).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    name: t.exposeString('name', { description: 'The segment name.' }),
    version: t.exposeString('version', { description: 'The segment version.' }),
    uid: t.exposeString('uid', { description: 'Its uid on the SDP target.' }),
    segment: t.field({
      type: SegmentRef,
      nullable: true,
      description: 'The segment as it is now; null once it is gone.',
      resolve: (e, _args, { services }) => services.segments.get(e.segmentId),
    }),
  }),
});

const RemoteSyncFailureRef = builder.objectRef<RemoteSyncFailure>('RemoteSyncFailure').implement({
  description: 'A segment SDP lists that the remote sync could not take over; nothing of it was kept.',
  fields: (t) => ({
    uid: t.exposeString('uid', { description: 'Its uid on the SDP target.' }),
    name: t.exposeString('name', { description: 'The name SDP lists it under.' }),
    version: t.exposeString('version', { description: 'The version SDP lists it under.' }),
    reason: t.exposeString('reason', {
      description: 'Why: the download failed or did not match its hash, segment.json disagrees, ...',
    }),
  }),
});

const RemoteSyncReportRef = builder.objectRef<ReportView>('RemoteSyncReport').implement({
  description:
    'One pass of the remote sync: segments the SDP target lists and seghub lacks are downloaded and ' +
    'recorded; synced records whose segment the target no longer lists are removed. ' +
    'Lists hold at most 1000 entries; the counts are totals.',
  fields: (t) => ({
    target: t.field({
      type: SdpTargetEnum,
      nullable: true,
      description: 'The target synced; null on the combined report of a syncRemote over several targets.',
      resolve: (r) => r.target,
    }),
    startedAt: t.field({
      type: DateTimeScalar,
      description: 'When the pass began.',
      resolve: (r) => r.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      description: 'When the pass ended.',
      resolve: (r) => r.finishedAt,
    }),
    added: t.field({
      type: [RemoteSyncSegmentRef],
      description: 'Segments taken over from SDP (the first 1000).',
      resolve: (r) => r.added,
    }),
    removed: t.field({
      type: [RemoteSyncSegmentRef],
      description: 'Segments removed because SDP no longer lists them (the first 1000).',
      resolve: (r) => r.removed,
    }),
    failed: t.field({
      type: [RemoteSyncFailureRef],
      description: 'Segments that could not be taken over (the first 1000).',
      resolve: (r) => r.failed,
    }),
    addedCount: t.int({ description: 'How many were added, in all.', resolve: (r) => r.counts.added }),
    removedCount: t.int({ description: 'How many were removed, in all.', resolve: (r) => r.counts.removed }),
    failedCount: t.int({ description: 'How many failed, in all.', resolve: (r) => r.counts.failed }),
    error: t.string({
      nullable: true,
      description: 'Set when the pass could not run: the platform could not be listed.',
      resolve: (r) => r.error,
    }),
  }),
});

const SyncRemoteSuccess = builder.objectRef<{ reports: RemoteSyncReport[] }>('SyncRemoteSuccess').implement({
  description: 'The sync ran; what it did.',
  fields: (t) => ({
    report: t.field({
      type: RemoteSyncReportRef,
      description: 'What the sync did, over every target synced.',
      resolve: (r) => combine(r.reports),
    }),
    reports: t.field({
      type: [RemoteSyncReportRef],
      description: 'One report per target synced.',
      resolve: (r) => r.reports,
    }),
  }),
});

builder.queryFields((t) => ({
  remoteSyncReports: t.field({
    type: [RemoteSyncReportRef],
    description:
      'The last remote-sync report of each SDP target (periodic or requested); empty before the first. ' +
      'Viewers and up.',
    authScopes: { viewer: true },
    resolve: (_root, _args, { services }) => services.remoteSync.reports(),
  }),
}));

builder.mutationFields((t) => ({
  syncRemote: t.field({
    type: SyncRemoteSuccess,
    description:
      'Syncs seghub with SDP now (one target, or both): segments SDP has and seghub lacks are ' +
      'downloaded and recorded (isLocal false), synced segments SDP no longer has are removed. ' +
      'The leading controller does it, whichever process is asked; this waits for its report. ' +
      'Operators and admins.',
    authScopes: { operator: true },
    args: {
      target: t.arg({
        type: SdpTargetEnum,
        required: false,
        description: 'The target to sync; absent: both.',
      }),
    },
    errors: {
      types: [RemoteSyncTimeoutError],
      directResult: true,
      union: {
        name: 'SyncRemoteResult',
        description: 'The reports, or a timeout while the request stays queued.',
      },
    },
    resolve: async (_root, { target }, { services, request }) => ({
      reports: await services.remoteSync.request(target ? [target] : SDP_TARGETS, request?.signal),
    }),
  }),
}));

function combine(reports: RemoteSyncReport[]): ReportView {
  if (reports.length === 1) return reports[0]!;
  const sum = (pick: (r: RemoteSyncReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const errors = reports.filter((r) => r.error).map((r) => `${r.target}: ${r.error}`);
  return {
    requestIds: [...new Set(reports.flatMap((r) => r.requestIds))],
    startedAt: reports.map((r) => r.startedAt).sort()[0]!,
    finishedAt: reports
      .map((r) => r.finishedAt)
      .sort()
      .at(-1)!,
    added: reports.flatMap((r) => r.added),
    removed: reports.flatMap((r) => r.removed),
    failed: reports.flatMap((r) => r.failed),
    counts: {
      added: sum((r) => r.counts.added),
      removed: sum((r) => r.counts.removed),
      failed: sum((r) => r.counts.failed),
    },
    error: errors.length > 0 ? errors.join('; ') : undefined,
  };
}
