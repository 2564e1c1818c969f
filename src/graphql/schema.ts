import { lexicographicSortSchema, printSchema } from 'graphql';
import './audit.js';
import { builder } from './builder.js';
import './error-types.js';
import './install.js';
import './install-log.js';
import './remote-sync.js';
import './seat.js';
import './segment.js';
import './segment-delete.js';
import './segment-list.js';
import './version.js';

// Every root field declares its own role too; these are the floor should one ever forget.
builder.queryType({ authScopes: { viewer: true } });
builder.mutationType({ authScopes: { viewer: true } });
builder.subscriptionType({ authScopes: { viewer: true } });

export const schema = builder.toSchema();

/** The SDL committed as `schema/schema.graphql`: sorted, so that diffs show only real changes. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(schema));
}
