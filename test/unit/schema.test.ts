import { readFile } from 'node:fs/promises';
import {
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema, schema } from '../../src/graphql/schema.js';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run codegen` after changing the schema)', async () => {
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(printSchema(lexicographicSortSchema(buildSchema(committed)))).toBe(printSortedSchema());
  });
});

/** Every type, field, argument, input field and enum value without a description, by coordinate. */
function undescribed(built: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(built.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

describe('schema documentation', () => {
  it('describes every type, field, argument and enum value for API users', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('finds what lacks a description', () => {
    const bare = buildSchema(`
      """Described."""
      type Query { a(x: Int): E, b: String }
      enum E { ONE }
    `);
    expect(undescribed(bare)).toEqual(['E', 'E.ONE', 'Query.a', 'Query.a(x:)', 'Query.b']);
  });
});
