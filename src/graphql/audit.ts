import { pageSize } from '../domain/page-size.js';
import { InvalidInputError } from '../model/errors.js';
import { ROLES, type Role } from '../model/principal.js';
import { AUDIT_OUTCOMES, type StoredAuditEntry } from '../records/audit-log.js';
import { builder } from './builder.js';
import { describedValues } from './enum-values.js';
import { DateTimeScalar, JSONObjectScalar } from './scalars.js';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Reads everything but the audit log; follows subscriptions.',
  operator: 'A viewer who also uploads, syncs, installs, signs and deletes segments and runs rollouts.',
  admin:
    'An operator who also manages seats, seat groups, signing keys and the release lifecycle, and reads ' +
    'the audit log.',
};

const RoleEnum = builder.enumType('Role', {
  description: 'What a caller may do; each role may do everything the one before it may.',
  values: Object.fromEntries(
    ROLES.map((role) => [role.toUpperCase(), { value: role, description: ROLE_DESCRIPTIONS[role] }]),
  ) as Record<Uppercase<Role>, { value: Role; description: string }>,
});
const AuditOutcomeEnum = builder.enumType('AuditOutcome', {
  description:
    'UNKNOWN: the field ran, but a later mutation field of the same operation failed outright, ' +
    'which nulls the whole response, so its result is not known.',
  values: describedValues(AUDIT_OUTCOMES, {
    SUCCESS: 'The field returned its success type.',
    ERROR: 'It returned an error type of its result union, or failed with a top-level error.',
    UNKNOWN: 'It ran, but the response was nulled by a later field, so its result is not known.',
  }),
});

const AuditActorRef = builder.objectRef<StoredAuditEntry['actor']>('AuditActor').implement({
  description: 'Who ran the mutation: an API token label or a JWT subject, and its role.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The token label or JWT subject.' }),
    role: t.field({ type: RoleEnum, description: 'The role it acted with.', resolve: (actor) => actor.role }),
  }),
});

const AuditEntryRef = builder.objectRef<StoredAuditEntry>('AuditEntry').implement({
  description: 'One mutation field run: who, what, with which arguments, and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The entry id; also its cursor.' }),
    at: t.field({ type: DateTimeScalar, description: 'When the field ran.', resolve: (e) => e.at }),
    actor: t.field({ type: AuditActorRef, description: 'Who ran it.', resolve: (e) => e.actor }),
    operationName: t.exposeString('operationName', {
      nullable: true,
      description: 'The operation name the client gave; null for an anonymous operation.',
    }),
    field: t.exposeString('field', { description: 'The mutation field, e.g. uploadSegment.' }),
    arguments: t.field({
      type: JSONObjectScalar,
      description: 'As sent; uploads by file name, long lists cut after 50 items.',
      resolve: (e) => e.arguments,
    }),
    outcome: t.field({ type: AuditOutcomeEnum, description: 'How it ended.', resolve: (e) => e.outcome }),
    resultType: t.exposeString('resultType', {
      nullable: true,
      description: 'The member of the result union: the success type or an error type.',
    }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'The error code: a result union error, or a top-level one such as FORBIDDEN.',
    }),
  }),
});

const AuditEdgeRef = builder.objectRef<{ node: StoredAuditEntry; cursor: string }>('AuditEdge').implement({
  description: 'One entry of a page.',
  fields: (t) => ({
    node: t.field({ type: AuditEntryRef, description: 'The entry.', resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this entry.' }),
  }),
});

interface AuditPage {
  entries: StoredAuditEntry[];
  more: boolean;
  /** Entries after the cursor (all of them on the first page). */
  remaining: number;
  after?: string;
}

const AuditConnectionRef = builder.objectRef<AuditPage>('AuditConnection').implement({
  description: 'Audit entries, newest first.',
  fields: (t) => ({
    edges: t.field({
      type: [AuditEdgeRef],
      description: 'This page, newest first.',
      resolve: (page) => page.entries.map((node) => ({ node, cursor: node.id })),
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Where this page sits; `endCursor` continues.',
      resolve: (page) => ({
        hasNextPage: page.more,
        hasPreviousPage: page.after !== undefined,
        startCursor: page.entries[0]?.id,
        endCursor: page.entries.at(-1)?.id,
      }),
    }),
    totalCount: t.int({
      description:
        'Every entry kept (not only this page, whatever the cursor). Entries older than ' +
        'AUDIT_RETENTION_DAYS count until the retention pass removes them.',
      // The first page's read already counted them all; a later page's counts only what follows.
      resolve: (page, _args, { services }) =>
        page.after === undefined ? page.remaining : services.audit.count(),
    }),
  }),
});

const CURSOR = /^\d{13}-[0-9a-f]{12}$/;

builder.queryField('auditLog', (t) =>
  t.field({
    type: AuditConnectionRef,
    description:
      'Every mutation run (and refused), newest first: `first` (default 50, at most 500) after the ' +
      'cursor `after`. Kept for AUDIT_RETENTION_DAYS. Admins only.',
    authScopes: { admin: true },
    args: {
      first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
    },
    resolve: async (_root, { first, after }, { services }) => {
      const size = pageSize(first);
      if (after !== null && after !== undefined && !CURSOR.test(after)) {
        throw new InvalidInputError('after is not a cursor of the audit log', 'after');
      }
      const page = await services.audit.page({ first: size, after: after ?? undefined });
      return { ...page, after: after ?? undefined };
    },
  }),
);
