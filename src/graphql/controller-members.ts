import type { ControllerMemberStatus } from '../domain/controller-members.js';
import { builder } from './builder.js';

/** `controllerMembers` (SPEC-FLEET section 6): the seed's `/api/status`, for admins. */

const ControllerMemberRef = builder.objectRef<ControllerMemberStatus>('ControllerMember').implement({
  description:
    'A seghub replica reconciling its share of the work in sharded mode (`CONTROLLER_MODE=sharded`): ' +
    'it owns the segment names that rendezvous hashing assigns to it among the live members. A member ' +
    'whose heartbeat lease expires (`MEMBER_TTL_S`) is dropped and its names move to the others.',
  fields: (t) => ({
    id: t.exposeString('id', {
      description: 'The member id (`MEMBER_ID`; by default the host name and a hash of the data directory).',
    }),
    heartbeatAgeMs: t.exposeInt('heartbeatAgeMs', {
      description:
        'Milliseconds since the member last refreshed its heartbeat (about every third of `MEMBER_TTL_S`), ' +
        "by this replica's clock against the member's.",
    }),
    ownedKeys: t.exposeInt('ownedKeys', {
      description:
        'How many segment names the member owns by the current assignment: their segments, installs, ' +
        'converge passes, rollouts and promotion judgements are its to reconcile.',
    }),
  }),
});

builder.queryField('controllerMembers', (t) =>
  t.field({
    type: [ControllerMemberRef],
    description:
      'The live controller members, by id, with their heartbeat ages and owned key counts. Empty in ' +
      'leader mode (`CONTROLLER_MODE=leader`, the default), where the elected leader reconciles everything. ' +
      'Admins only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => ctx.services.controllerMembers.list(),
  }),
);
