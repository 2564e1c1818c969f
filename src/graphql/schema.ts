import { lexicographicSortSchema, printSchema } from 'graphql';
import './audit.js';
import './desired-version.js';
import { builder } from './builder.js';
import './controller-members.js';
import './error-types.js';
import './group-error-types.js';
import './install.js';
import './install-log.js';
import './remote-sync.js';
import './rollout.js';
import './rollout-error-types.js';
import './rollout-inputs.js';
import './rollout-mutations.js';
import './rollout-queries.js';
import './seat.js';
import './seat-group.js';
import './seat-labels.js';
import './segment.js';
import './segment-delete.js';
import './segment-mutations.js';
import './segment-download.js';
import './segment-list.js';
import './trust-error-types.js';
import './trust-keys.js';
import './trust-mutations.js';
import './trust-segment.js';
import './upload-session.js';
import './version.js';

// Every root field declares its own role too; these are the floor should one ever forget.
builder.queryType({
  description: 'Reads. Every field needs at least the viewer role when authentication is on.',
  authScopes: { viewer: true },
});
builder.mutationType({
  description:
    'Changes. Each field names the role it needs; every call is written to the audit log. ' +
    "Expected refusals are members of the field's result union (implementing `Error`).",
  authScopes: { viewer: true },
});
builder.subscriptionType({
  description: 'Live updates over graphql-ws (on /graphql). Viewers and up.',
  authScopes: { viewer: true },
});

export const schema = builder.toSchema();

/** The SDL committed as `schema/schema.graphql`: sorted, so that diffs show only real changes. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(schema));
}
