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
    nodeQueryOptions: { authScopes: { viewer: true } },
    nodesQueryOptions: { authScopes: { viewer: true } },
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
