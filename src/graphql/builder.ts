import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { FileUpload } from 'graphql-upload-ts';
import { hasRole } from '../model/principal.js';
import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { viewer: boolean; operator: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    SafeInt: { Input: number; Output: number };
    JSONObject: { Input: never; Output: Record<string, unknown> };
    Upload: { Input: Promise<FileUpload>; Output: never };
  };
}>({
  // Relay first so that scope checks see decoded global ids; scope-auth before anything that wraps resolvers.
  plugins: [RelayPlugin, ScopeAuthPlugin, ErrorsPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: {
      authScopes: { viewer: true },
      description:
        'The object with this global id (a Segment, Seat, InstallRecord or Rollout); null when none. Viewers and up.',
      args: { id: { description: 'A global id, as any `id` field gives it.' } },
    },
    nodesQueryOptions: {
      authScopes: { viewer: true },
      description: 'The objects with these global ids, in the same order; null for each that names none.',
      args: { ids: { description: 'Global ids, as `id` fields give them.' } },
    },
    nodeTypeOptions: { description: 'An object that can be fetched again by its global id (`node`).' },
    idFieldOptions: { description: 'The global id: opaque, stable, for `node` and the id arguments.' },
    pageInfoTypeOptions: { description: 'Where a page sits in a cursor-paged list.' },
    hasNextPageFieldOptions: { description: 'More follow `endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'The page was asked for with a cursor (`after`).' },
    startCursorFieldOptions: { description: 'The cursor of the first item; null on an empty page.' },
    endCursorFieldOptions: { description: 'Pass as `after` for the next page; null on an empty page.' },
  },
  errors: { defaultTypes: [] },
  scopeAuth: {
    authorizeOnSubscribe: true,
    // A top-level error clients branch on; a GraphQLError, so error masking lets it through.
    unauthorizedError: (_parent, { principal }, info) =>
      new GraphQLError(
        `${info.parentType.name}.${info.fieldName} is not allowed for the ${principal.role} role`,
        {
          extensions: { code: 'FORBIDDEN' },
        },
      ),
    authScopes: ({ principal }) => ({
      viewer: hasRole(principal, 'viewer'),
      operator: hasRole(principal, 'operator'),
      admin: hasRole(principal, 'admin'),
    }),
  },
});
