import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS } from '../logger.js';

/**
 * Parsers for single environment variables (values are strings; unset is `undefined`). Each says in
 * its message what a valid value looks like, since the message is what an operator reads.
 */

export function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, {
      message: `must be a whole number from ${min} to ${max}`,
    })
    .optional();
}

export function integer(min: number, max: number, fallback: number) {
  return wholeNumber(min, max).transform((n) => n ?? fallback);
}

export const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, {
    message: 'must be host:port, e.g. 127.0.0.1:50051',
  })
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, { message: 'port must be at most 65535' })
  .optional();

export const etcdEndpoints = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, { message: 'must list at least one endpoint' })
  .refine((list) => list.every((e) => /^https?:\/\/[^/\s]+$/.test(e)), {
    message: 'must be comma-separated URLs like http://127.0.0.1:2379',
  })
  .optional();

/** Comma-separated browser origins (`scheme://host[:port]`, no path), e.g. `https://ops.example`. */
export const corsOrigins = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
    message: 'must be comma-separated origins like https://ops.example:8443 (no path, no trailing /)',
  });

export const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** What every program of seghub reads (the server and the simulator alike): where its data lives, how much it logs. */
export const processEnvShape = {
  DATA_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
};

/** `DATA_DIR`, absolute: relative to the working directory, `./data` when unset. */
export function dataDirOf(dataDir: string | undefined, cwd: string): string {
  return path.resolve(cwd, dataDir ?? 'data');
}

/**
 * Why `dir` (absolute) cannot serve as the directory `variable` names, if it cannot. A directory that
 * does not exist yet is fine (it is created at start-up); a file in its place would otherwise surface
 * later as a stack trace from whichever part first writes there.
 */
export function directoryProblem(
  variable: string,
  dir: string,
): { variable: string; message: string } | undefined {
  try {
    if (statSync(dir).isDirectory()) return undefined;
    return { variable, message: `must name a directory, but ${dir} is a file` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR')
      return { variable, message: `must name a directory, but a parent of ${dir} is a file` };
    return { variable, message: `${dir} cannot be used: ${(error as Error).message}` };
  }
}
