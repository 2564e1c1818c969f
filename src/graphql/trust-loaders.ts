import { createContextCache } from '@pothos/core';
import type { SignatureJudgement, SigningKey } from '../domain/trust/trust-types.js';
import type { StoredSegment } from '../records/segment-records.js';
import type { GraphQLContext } from './context.js';

/**
 * Judging a segment's signatures needs the keys it names: a page of 50 segments reads the keyring
 * once per request, not once per segment, and `signatureStatus` and `signatures` of one segment
 * share one judgement.
 */

/** Every key of the keyring by id, read once per request. */
const requestKeys = createContextCache(
  async (context: GraphQLContext): Promise<ReadonlyMap<string, SigningKey>> => {
    const keys = await context.services.trust.keyring.list();
    return new Map(keys.map((key) => [key.keyId, key]));
  },
);

const judgements = createContextCache(() => new WeakMap<StoredSegment, Promise<SignatureJudgement>>());

/** The segment's signatures judged against the keyring as this request read it and SIGNATURES_REQUIRED. */
export function judgementOf(segment: StoredSegment, context: GraphQLContext): Promise<SignatureJudgement> {
  const cache = judgements(context);
  const known = cache.get(segment);
  if (known) return known;
  const { signatures } = context.services.trust;
  const judged = requestKeys(context).then((keys) => signatures.judge(segment, keys));
  cache.set(segment, judged);
  return judged;
}

/** For a subscription's next event: keys may have been added or revoked since the last one. */
export function forgetTrustReads(context: GraphQLContext): void {
  requestKeys.delete(context);
  judgements.delete(context);
}
