import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSortedSchema } from './src/graphql/schema.js';

/**
 * `npm run codegen`: the code-first Pothos schema is the source of truth. It is printed, sorted, to
 * `schema/schema.graphql` (committed; CI fails when it differs from the code), and the operations
 * that tests use are compiled into typed documents under `test/generated/`.
 */
const config: CodegenConfig = {
  schema: printSortedSchema(),
  documents: ['test/**/*.ts', '!test/generated/**'],
  ignoreNoDocuments: true,
  // NodeNext resolution needs explicit `.js` suffixes in the generated imports.
  emitLegacyCommonJSImports: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true },
    },
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          SafeInt: 'number',
          JSONObject: 'Record<string, unknown>',
          Upload: 'File | Blob | null',
        },
      },
    },
  },
};

export default config;
