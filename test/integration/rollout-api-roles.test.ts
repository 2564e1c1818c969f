import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import {
  CancelRollout,
  CreateRollout,
  GetRollout,
  ListRollouts,
  PauseRollout,
  PreviewRollout,
  RolloutUpdated,
} from '../support/documents/rollout-documents.js';
import { bearer, tokenAppSuite } from '../support/harness/auth.js';
import { httpGraphQL, wsClient, wsCollect } from '../support/harness/graphql-client.js';

/**
 * Rollouts and roles (SPEC-FLEET D7: operators act, viewers read) and the rollout ids the API takes:
 * schema-level promises that need no rollout to exist.
 */

type Errors = { errors?: readonly { extensions?: Record<string, unknown> }[] };
const codeOf = (result: Errors) => result.errors?.[0]?.extensions?.code;
const rolloutId = (id: string) => encodeGlobalID('Rollout', id);

describe('rollout API: roles and ids', () => {
  const suite = tokenAppSuite('rollout-api');
  const as = (role: 'viewer' | 'operator') => bearer(suite.current().tokens[role]);
  const url = () => suite.current().app.url;
  const input = { segmentId: encodeGlobalID('Segment', 'no-such@1.0.0'), group: 'none' };

  it('keeps creating, previewing and controlling rollouts from viewers, who can still read', async () => {
    expect(codeOf(await httpGraphQL(url(), CreateRollout, { input }, as('viewer')))).toBe('FORBIDDEN');
    expect(codeOf(await httpGraphQL(url(), PreviewRollout, { input }, as('viewer')))).toBe('FORBIDDEN');
    const id = rolloutId('no-such-rollout');
    expect(codeOf(await httpGraphQL(url(), PauseRollout, { id, reason: 'x' }, as('viewer')))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await httpGraphQL(url(), CancelRollout, { id, reason: 'x' }, as('viewer')))).toBe(
      'FORBIDDEN',
    );

    // An operator gets past the role check: the answer is about the segment, not the role.
    const created = await httpGraphQL(url(), CreateRollout, { input }, as('operator'));
    expect(created.data?.createRollout).toMatchObject({ code: 'SEGMENT_NOT_FOUND' });

    const read = await httpGraphQL(url(), GetRollout, { id }, as('viewer'));
    expect(read.errors).toBeUndefined();
    expect(read.data?.rollout).toBeNull();
    const list = await httpGraphQL(url(), ListRollouts, {}, as('viewer'));
    expect(list.errors).toBeUndefined();
    expect(list.data?.rollouts.nodes).toEqual([]);
  });

  it('answers an id of another type with INVALID_INPUT and an unknown rollout with ROLLOUT_NOT_FOUND', async () => {
    const segmentId = encodeGlobalID('Segment', 'app@1.0.0');
    expect(codeOf(await httpGraphQL(url(), GetRollout, { id: segmentId }, as('viewer')))).toBe(
      'INVALID_INPUT',
    );

    const bad = await httpGraphQL(url(), PauseRollout, { id: 'not-an-id', reason: 'x' }, as('operator'));
    expect(bad.data?.pauseRollout).toMatchObject({ __typename: 'InvalidInputError', field: 'id' });
    const id = rolloutId('no-such-rollout');
    const unknown = await httpGraphQL(url(), PauseRollout, { id, reason: 'x' }, as('operator'));
    expect(unknown.data?.pauseRollout).toMatchObject({
      __typename: 'RolloutNotFoundError',
      code: 'ROLLOUT_NOT_FOUND',
      rolloutId: id,
    });
  });

  it('ends rolloutUpdated with INVALID_INPUT for a bad id, and at once with no event for an unknown one', async () => {
    const client = wsClient(url(), { connectionParams: as('viewer') });
    try {
      const [refused, ...more] = await wsCollect(client, RolloutUpdated, { id: 'garbage' });
      expect(codeOf(refused!)).toBe('INVALID_INPUT');
      expect(more).toEqual([]);
      expect(await wsCollect(client, RolloutUpdated, { id: rolloutId('no-such-rollout') })).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
