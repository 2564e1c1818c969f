import { pageSize } from '../domain/page-size.js';
import { InvalidInputError } from '../model/errors.js';
import { ROLES, type Role } from '../model/principal.js';
import { AUDIT_OUTCOMES, type StoredAuditEntry } from '../records/audit-log.js';
import { builder } from './builder.js';
import { DateTimeScalar, JSONObjectScalar } from './scalars.js';

const RoleEnum = builder.enumType('Role', {
  values: Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), { value: role }])) as Record<
    Uppercase<Role>,
    { value: Role }
  >,
});
const AuditOutcomeEnum = builder.enumType('AuditOutcome', {
  description:
    'UNKNOWN: the field ran, but a later mutation field of the same operation failed outright, ' +
    'which nulls the whole response, so its result is not known.',
  values: AUDIT_OUTCOMES,
});

const AuditActorRef = builder.objectRef<StoredAuditEntry['actor']>('AuditActor').implement({
  description: 'Who ran the mutation: an API token label or a JWT subject, and its role.',
  fields: (t) => ({
    id: t.exposeString('id'),
    role: t.field({ type: RoleEnum, resolve: (actor) => actor.role }),
  }),
});

const AuditEntryRef = builder.objectRef<StoredAuditEntry>('AuditEntry').implement({
  description: 'One mutation field run: who, what, with which arguments, and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.field({ type: DateTimeScalar, resolve: (e) => e.at }),
    actor: t.field({ type: AuditActorRef, resolve: (e) => e.actor }),
    operationName: t.exposeString('operationName', { nullable: true }),
    field: t.exposeString('field', { description: 'The mutation field, e.g. uploadSegment.' }),
    arguments: t.field({
      type: JSONObjectScalar,
      description: 'As sent; uploads by file name, long lists cut after 50 items.',
      resolve: (e) => e.arguments,
    }),
    outcome: t.field({ type: AuditOutcomeEnum, resolve: (e) => e.outcome }),
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
  fields: (t) => ({
    node: t.field({ type: AuditEntryRef, resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor'),
  }),
});

interface AuditPage {
  entries: StoredAuditEntry[];
  more: boolean;
  after?: string;
}

const AuditConnectionRef = builder.objectRef<AuditPage>('AuditConnection').implement({
  description: 'Audit entries, newest first.',
  fields: (t) => ({
    edges: t.field({
      type: [AuditEdgeRef],
      resolve: (page) => page.entries.map((node) => ({ node, cursor: node.id })),
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.more,
        hasPreviousPage: page.after !== undefined,
        startCursor: page.entries[0]?.id,
        endCursor: page.entries.at(-1)?.id,
      }),
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
    args: { first: t.arg.int(), after: t.arg.string() },
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
