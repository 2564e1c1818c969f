import type { SegmentUpdate } from '../domain/segments/segment-events.js';
import { SegmentInstalledError, SegmentInUseError, SegmentNotFoundError } from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { DateTimeScalar } from './scalars.js';
import { requireSegmentId, SegmentRef } from './segment.js';

builder.objectFields(SegmentRef, (t) => ({
  deleted: t.boolean({
    description:
      'True only on the last event `segmentUpdated` sends about a segment that is gone from seghub ' +
      '(deleted, or removed by the remote sync because SDP no longer has it): the tombstone. Its ' +
      'other fields are the last state the segment had. A query never returns a deleted segment.',
    resolve: (s) => (s as SegmentUpdate).deleted === true,
  }),
  deleteAttempts: t.int({
    description: 'Failed attempts to delete the segment on SDP since the delete was (re)requested.',
    resolve: (s) => s.record.deleteAttempts ?? 0,
  }),
  deleteNextAttemptAt: t.field({
    type: DateTimeScalar,
    nullable: true,
    description: 'While PROCESSING after a failed attempt: the next attempt happens no earlier than this.',
    resolve: (s) => s.record.deleteNextAttemptAt,
  }),
}));

const DeleteSegmentSuccess = builder.objectRef<{ segment: StoredSegment }>('DeleteSegmentSuccess').implement({
  description: 'The deletion is under way.',
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      description: 'The segment with deleteStatus PROCESSING; segmentUpdated tells when it is gone.',
      resolve: (r) => r.segment,
    }),
  }),
});

builder.mutationFields((t) => ({
  deleteSegment: t.field({
    type: DeleteSegmentSuccess,
    description:
      'Deletes the segment from its SDP target and then from seghub (record, install records and ' +
      'logs, and the file unless another segment has the same bytes). Answers at once with ' +
      'deleteStatus PROCESSING; the controller does the rest. Already PROCESSING: success, nothing ' +
      'new happens. FAILED: tried again. Installed on a seat or an install running: SEGMENT_INSTALLED. ' +
      'A desired version, or a version a rollout would return seats to: SEGMENT_IN_USE. ' +
      'Operators and admins.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true, description: 'The Segment id.' }) },
    errors: {
      types: [SegmentNotFoundError, SegmentInstalledError, SegmentInUseError],
      directResult: true,
      union: { name: 'DeleteSegmentResult', description: 'The segment being deleted, or why not.' },
    },
    resolve: async (_root, { id }, { services }) => ({
      segment: await services.segments.delete(requireSegmentId(String(id))),
    }),
  }),
}));
