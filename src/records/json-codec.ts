import { z } from 'zod';

/**
 * Encoder and validating decoder for one kind of JSON value in the store. A value damaged by hand or
 * written by an incompatible release is reported with its key instead of surfacing as a wrong field
 * deep inside a resolver.
 */
export class RecordDecodeError extends Error {
  override name = 'RecordDecodeError';
}

export interface JsonCodec<T> {
  encode(value: T): string;
  decode(key: string, value: string): T;
}

export function jsonCodec<S extends z.ZodType>(schema: S, what: string): JsonCodec<z.infer<S>> {
  return {
    encode: (value) => JSON.stringify(value),
    decode(key, value) {
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch (cause) {
        throw new RecordDecodeError(`${key} does not hold JSON`, { cause });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new RecordDecodeError(`${key} is not a valid ${what}: ${z.prettifyError(parsed.error)}`);
      }
      return parsed.data;
    },
  };
}
