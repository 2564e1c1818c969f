/**
 * Where a segment goes is decided by its file's suffix (SPEC, "format / target"): `.zip` to the
 * software deployment platform, `.mpk` to the 15s software store. Nothing else is accepted.
 */
export const SEGMENT_FORMATS = ['ZIP', 'MPK'] as const;
export type SegmentFormat = (typeof SEGMENT_FORMATS)[number];

export const SDP_TARGETS = ['DEPLOY_PLATFORM', 'STORE_15S'] as const;
export type SdpTarget = (typeof SDP_TARGETS)[number];

const TARGET_OF_FORMAT: Readonly<Record<SegmentFormat, SdpTarget>> = {
  ZIP: 'DEPLOY_PLATFORM',
  MPK: 'STORE_15S',
};

export function targetOfFormat(format: SegmentFormat): SdpTarget {
  return TARGET_OF_FORMAT[format];
}

export function formatOfTarget(target: SdpTarget): SegmentFormat {
  return target === 'DEPLOY_PLATFORM' ? 'ZIP' : 'MPK';
}

/** The format a file name's suffix selects, or undefined for any other suffix. */
export function formatOfFileName(fileName: string): SegmentFormat | undefined {
  const suffix = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (suffix === 'zip') return 'ZIP';
  if (suffix === 'mpk') return 'MPK';
  return undefined;
}
