import { readFile } from 'node:fs/promises';
import {
  buildClientSchema,
  buildSchema,
  type IntrospectionQuery,
  isAbstractType,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../../src/graphql/schema.js';

const readJson = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as unknown;

/**
 * The files shipped beside the schema for clients (docs/clients.md). A stale `possibleTypes` map
 * makes Apollo's cache drop the fields of a new error type without a word, so it must match the code.
 */
describe('schema files for clients (run `npm run codegen` after changing the schema)', () => {
  it('possible-types.json names every member of every union and interface', async () => {
    const schema = buildSchema(printSortedSchema());
    const expected = Object.fromEntries(
      Object.values(schema.getTypeMap())
        .filter(isAbstractType)
        .map(
          (type) =>
            [
              type.name,
              schema
                .getPossibleTypes(type)
                .map((member) => member.name)
                .sort(),
            ] as const,
        )
        .filter(([, members]) => members.length > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    const { possibleTypes } = (await readJson('possible-types.json')) as {
      possibleTypes: Record<string, string[]>;
    };
    expect(possibleTypes).toEqual(expected);
  });

  it('introspection.json describes the schema the code builds', async () => {
    const introspection = (await readJson('introspection.json')) as IntrospectionQuery;
    expect(printSchema(lexicographicSortSchema(buildClientSchema(introspection)))).toBe(printSortedSchema());
  });
});
