import type { SegmentPage, SegmentPosition } from '../domain/segments/segment-catalog.js';
import { InvalidInputError } from '../model/errors.js';
import { isValidSegmentName, isValidSegmentVersion } from '../model/segment-identity.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { catalogReader } from './loaders.js';
import { DeleteStatusEnum, SdpTargetEnum, SegmentFormatEnum, SegmentRef, SyncStatusEnum } from './segment.js';

const SegmentFilterRef = builder.inputType('SegmentFilter', {
  description: 'Every field given must match; an absent field matches everything.',
  fields: (t) => ({
    nameContains: t.string({ description: 'A part of the name, any case.' }),
    format: t.field({ type: SegmentFormatEnum, description: 'Only this archive format.' }),
    target: t.field({ type: SdpTargetEnum, description: 'Only segments of this SDP target.' }),
    syncStatus: t.field({ type: SyncStatusEnum, description: 'Only segments with this sync status.' }),
    isLocal: t.boolean({ description: 'Uploaded to seghub (true) or taken over from SDP (false).' }),
    installed: t.boolean({ description: 'Installed on at least one seat (true) or on none (false).' }),
    deleteStatus: t.field({ type: DeleteStatusEnum, description: 'Only segments with this delete status.' }),
  }),
});

const SegmentEdgeRef = builder.objectRef<StoredSegment>('SegmentEdge').implement({
  description: 'One segment of a page.',
  fields: (t) => ({
    node: t.field({ type: SegmentRef, description: 'The segment.', resolve: (segment) => segment }),
    cursor: t.string({
      description: 'Pass as `after` to continue after this segment (opaque).',
      resolve: (segment) => segmentCursor(segment),
    }),
  }),
});

const SegmentConnectionRef = builder
  .objectRef<SegmentPage & { after?: SegmentPosition }>('SegmentConnection')
  .implement({
    description: 'Segments by name, then newest version first.',
    fields: (t) => ({
      edges: t.field({ type: [SegmentEdgeRef], description: 'This page.', resolve: (page) => page.segments }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        description: 'Where this page sits; `endCursor` continues.',
        resolve: (page) => ({
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.after !== undefined,
          startCursor: page.segments[0] && segmentCursor(page.segments[0]),
          endCursor: page.segments.at(-1) && segmentCursor(page.segments.at(-1)!),
        }),
      }),
      totalCount: t.exposeInt('totalCount', { description: 'Segments matching the filter, on every page.' }),
    }),
  });

// Opaque to clients. The position is a name and version, not an offset: segments added or removed
// between two pages neither repeat nor skip any of the rest.
const CURSOR_PREFIX = 'segment:';

function segmentCursor({ record }: StoredSegment): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify([record.name, record.version])).toString('base64url');
}

function positionOfCursor(cursor: string): SegmentPosition {
  const text = Buffer.from(cursor, 'base64url').toString();
  const invalid = () => new InvalidInputError('after is not a cursor of the segments connection', 'after');
  if (!text.startsWith(CURSOR_PREFIX)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(CURSOR_PREFIX.length));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [name, version] = parsed as unknown[];
  if (typeof name !== 'string' || typeof version !== 'string') throw invalid();
  if (!isValidSegmentName(name) || !isValidSegmentVersion(version)) throw invalid();
  return { name, version };
}

builder.queryFields((t) => ({
  segments: t.field({
    type: SegmentConnectionRef,
    description:
      'Segments by name, then newest version first: `first` (default 50, at most 500) after the ' +
      'cursor `after`, matching `filter`. Never older than what the caller wrote before asking. ' +
      'Viewers and up.',
    authScopes: { viewer: true },
    args: {
      first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      filter: t.arg({ type: SegmentFilterRef, description: 'Only segments matching it; absent: all.' }),
    },
    resolve: async (_root, { first, after, filter }, context) => {
      const position = after === null || after === undefined ? undefined : positionOfCursor(after);
      const page = await catalogReader(context).page({
        first: first ?? undefined,
        after: position,
        filter: {
          nameContains: filter?.nameContains ?? undefined,
          format: filter?.format ?? undefined,
          target: filter?.target ?? undefined,
          syncStatus: filter?.syncStatus ?? undefined,
          isLocal: filter?.isLocal ?? undefined,
          installed: filter?.installed ?? undefined,
          deleteStatus: filter?.deleteStatus ?? undefined,
        },
      });
      return { ...page, after: position };
    },
  }),
}));
