import { GraphQLError, Kind } from 'graphql';
import { GraphQLUpload } from 'graphql-upload-ts';
import { builder } from './builder.js';

/** A file of a GraphQL multipart request (streamed as it arrives; see `server/plugins/use-upload.ts`). */
export const UploadScalar = builder.addScalarType('Upload', GraphQLUpload);

export const DateTimeScalar = builder.scalarType('DateTime', {
  description: 'A point in time, ISO 8601 in UTC (e.g. 2026-11-22T10:00:00.000Z).',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/**
 * A whole number up to 2^53 - 1. Segment sizes pass 2^31 (Int's limit); JSON numbers carry these
 * exactly, so clients need no string decoding.
 */
export const SafeIntScalar = builder.scalarType('SafeInt', {
  description: 'A whole number from -(2^53 - 1) to 2^53 - 1, e.g. a size in bytes.',
  serialize: (value) => {
    if (!Number.isSafeInteger(value)) throw new GraphQLError(`SafeInt cannot represent ${String(value)}`);
    return value as number;
  },
  parseValue: (value) => parseSafeInt(value),
  parseLiteral: (ast) => parseSafeInt(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

export const JSONObjectScalar = builder.scalarType('JSONObject', {
  description: 'A JSON object, as found in a segment manifest.',
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('JSONObject is an output type only');
  },
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
  return date;
}

function parseSafeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError('SafeInt must be a whole number within ±(2^53 - 1)');
  }
  return value;
}
