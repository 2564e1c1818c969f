import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { integer } from '../util/env-fields.js';

/** The variables of controller sharding (SPEC-FLEET section 6, D14). */
export const controllerEnvShape = {
  CONTROLLER_MODE: z.enum(['leader', 'sharded']).default('leader'),
  MEMBER_TTL_S: integer(2, 300, 10),
  // A key segment of its own (`members/<id>`); `epoch` is the member set's epoch key.
  MEMBER_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
      message: 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128',
    })
    .refine((id) => id !== 'epoch', { message: '"epoch" is reserved' })
    .optional(),
};

/** Sharded mode's settings; undefined in leader mode. */
export type ShardingConfig = { readonly memberId: string; readonly memberTtlSeconds: number } | undefined;

export function shardingConfigFrom(
  e: { CONTROLLER_MODE: 'leader' | 'sharded'; MEMBER_TTL_S: number; MEMBER_ID?: string | undefined },
  dataDir: string,
): ShardingConfig {
  if (e.CONTROLLER_MODE !== 'sharded') return undefined;
  return { memberId: e.MEMBER_ID ?? defaultMemberId(dataDir), memberTtlSeconds: e.MEMBER_TTL_S };
}

/**
 * Stable across restarts of the same replica (D14), so a replica back before its lease expired
 * keeps its share: the host name and a hash of the data directory (two replicas on one host differ).
 */
export function defaultMemberId(dataDir: string, host = hostname()): string {
  const name =
    host
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 100) || 'seghub';
  return `${name}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`;
}
