import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { type GraphQLContext, hasRole } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { viewer: boolean; operator: boolean; admin: boolean };
  DefaultFieldNullability: false;
}>({
  // Relay first so that scope checks see decoded global ids; scope-auth before anything that wraps resolvers.
  plugins: [RelayPlugin, ScopeAuthPlugin, ErrorsPlugin],
  defaultFieldNullability: false,
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  errors: { defaultTypes: [] },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ principal }) => ({
      viewer: hasRole(principal, 'viewer'),
      operator: hasRole(principal, 'operator'),
      admin: hasRole(principal, 'admin'),
    }),
  },
});
