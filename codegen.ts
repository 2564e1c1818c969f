import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSortedSchema } from './src/graphql/schema.js';

/** Custom scalars as a client sees them in JSON. */
const scalars = {
  DateTime: 'string',
  SafeInt: 'number',
  JSONObject: 'Record<string, unknown>',
  Upload: 'File | Blob | null',
};

/**
 * `npm run codegen`: the code-first Pothos schema is the source of truth. It is printed, sorted, to
 * `schema/schema.graphql` (committed; CI fails when it differs from the code) with the `possibleTypes`
 * map and the introspection JSON beside it, and the operations
 * that tests use are compiled into typed documents under `test/generated/`, and those of the
 * dashboard under `web/src/generated/` (as plain strings: the browser bundle needs no graphql-js).
 */
const config: CodegenConfig = {
  schema: printSortedSchema(),
  ignoreNoDocuments: true,
  // NodeNext resolution needs explicit `.js` suffixes in the generated imports.
  emitLegacyCommonJSImports: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true },
    },
    // Shipped with the schema for clients (docs/clients.md): Apollo's cache needs `possibleTypes` to
    // keep the fields of error union members; tools that cannot read SDL take the introspection.
    'schema/possible-types.json': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3 },
    },
    'schema/introspection.json': {
      plugins: ['introspection'],
      config: { descriptions: true },
    },
    'test/generated/': {
      documents: ['test/**/*.ts', '!test/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars,
      },
    },
    'web/src/generated/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars,
      },
    },
  },
};

export default config;
