import { pageSize } from '../domain/page-size.js';
import type { RolloutPage } from '../domain/rollouts/rollout-types.js';
import { builder } from './builder.js';
import { cancellable } from './cancellable.js';
import { forgetReads } from './loaders.js';
import { RolloutRef, requireRolloutId } from './rollout.js';
import { pageInfoOf, RolloutStateEnum } from './rollout-parts.js';

/** The reads of rollouts: `rollout`, `rollouts` (a group's history among them), `rolloutUpdated`. */

const RolloutConnectionRef = builder
  .objectRef<RolloutPage & { after?: string }>('RolloutConnection')
  .implement({
    description: 'Rollouts in creation order: oldest first, or newest first when asked.',
    fields: (t) => ({
      nodes: t.field({
        type: [RolloutRef],
        description: 'This page, in the order asked for.',
        resolve: (p) => p.items,
      }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        description: 'Where this page sits; `endCursor` continues.',
        resolve: pageInfoOf,
      }),
    }),
  });

const RolloutFilterRef = builder.inputType('RolloutFilter', {
  description: 'Which rollouts to list; the given conditions all hold.',
  fields: (t) => ({
    state: t.field({ type: RolloutStateEnum, description: 'Only rollouts in this state.' }),
    segmentName: t.string({ description: 'Only rollouts of this segment name (any version).' }),
    group: t.string({ description: 'Only rollouts to this seat group (its history).' }),
  }),
});

builder.queryFields((t) => ({
  rollout: t.field({
    type: RolloutRef,
    nullable: true,
    description:
      'The rollout with this id; null when there is none. A malformed id: INVALID_INPUT. Viewers and up.',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true, description: 'A Rollout id.' }) },
    resolve: async (_root, { id }, { services }) =>
      (await services.rollouts.get(requireRolloutId(String(id)))) ?? null,
  }),
  rollouts: t.field({
    type: RolloutConnectionRef,
    description:
      'Rollouts in creation order (oldest first, or newest first with `newestFirst`), optionally ' +
      'filtered. Viewers and up.',
    authScopes: { viewer: true },
    args: {
      first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      filter: t.arg({ type: RolloutFilterRef, description: 'Conditions; none: every rollout.' }),
      newestFirst: t.arg.boolean({
        description: 'Newest first (a history view); default false: oldest first.',
      }),
    },
    resolve: async (_root, { first, after, filter, newestFirst }, { services }) => {
      const page = await services.rollouts.list(pageSize(first), after, filter ?? {}, newestFirst ?? false);
      return { ...page, after: after ?? undefined };
    },
  }),
}));

builder.subscriptionField('rolloutUpdated', (t) =>
  t.field({
    type: RolloutRef,
    description:
      'The rollout now, then every change; completes after a final state (SUCCEEDED, ROLLED_BACK, ' +
      'CANCELLED, FAILED) or its deletion, and at once, with no event, for a rollout that does not ' +
      'exist. Viewers and up.',
    authScopes: { viewer: true },
    args: {
      id: t.arg.id({ required: true, description: 'A Rollout id; another kind of id is INVALID_INPUT.' }),
    },
    subscribe: (_root, { id }, context) => {
      const rolloutId = requireRolloutId(String(id));
      return cancellable((signal) => context.services.rolloutEvents.updates(rolloutId, signal));
    },
    resolve: (rollout, _args, context) => {
      forgetReads(context);
      return rollout;
    },
  }),
);
