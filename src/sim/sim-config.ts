import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { z } from 'zod';
import type { LogLevel } from '../logger.js';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import { ConfigError, deepFreeze, parseEnv } from '../util/env.js';
import { dataDirOf, directoryProblem, integer, processEnvShape, wholeNumber } from '../util/env-fields.js';
import { SIM_METHODS } from './faults.js';

/**
 * The simulator's settings: `npm run sdp-sim` reads only these, and seghub's own configuration
 * includes them for the in-process simulator it runs when no SDP address is set. The syntax is meant
 * to be typed by hand: `SDP_SIM_ERROR_RATE=0.1` for every method, or `CreateSegment=0.2,GetTask=0.05`.
 */

/** The SDP simulator: `npm run sdp-sim`, and `npm start` when SDP addresses are unset. */
export interface SimConfig {
  readonly host: string;
  /** The first target's port; the second target listens on the next one. 0 picks free ports. */
  readonly port: number;
  readonly targets: readonly SdpTarget[];
  readonly dataDir: string;
  readonly seed?: number;
  readonly devices: {
    readonly durationMs: number;
    readonly jitter: number;
    readonly failureRate: number;
    readonly stallRate: number;
    readonly parallelism: number;
  };
  readonly faults: {
    readonly errorRate: Readonly<Record<string, number>>;
    readonly errorCode: string;
    readonly latencyMs: Readonly<Record<string, number>>;
    readonly hang: readonly string[];
    readonly outage?: { readonly startMs: number; readonly durationMs: number };
  };
}

const METHOD_NAMES: readonly string[] = [...SIM_METHODS, '*'];
const methodList = `${SIM_METHODS.join(', ')} or *`;

export const rate = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, { message: 'must be a number from 0 to 1' })
  .transform(Number);

export const milliseconds = z
  .string()
  .regex(/^\d{1,9}$/, { message: 'must be a whole number of milliseconds' })
  .transform(Number);

/** `value` for every method, or `Method=value,...` (with `*` for the rest). */
export function perMethod<T>(value: z.ZodType<T, string>, what: string) {
  return z.string().transform((text, ctx) => {
    const out: Record<string, T> = {};
    const entries = text.includes('=') ? text.split(',') : [`*=${text}`];
    for (const entry of entries) {
      const [method = '', raw = ''] = entry.split('=').map((part) => part.trim());
      const parsed = value.safeParse(raw);
      if (!METHOD_NAMES.includes(method)) {
        ctx.addIssue({ code: 'custom', message: `unknown method "${method}"; use ${methodList}` });
      } else if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `${method}: must be ${what}` });
      } else {
        out[method] = parsed.data;
      }
    }
    return out;
  });
}

export const hangList = z.string().transform((text, ctx) => {
  const methods = text.split(',').map((m) => m.trim());
  const unknown = methods.filter((m) => !METHOD_NAMES.includes(m));
  if (unknown.length > 0)
    ctx.addIssue({ code: 'custom', message: `unknown method "${unknown[0]}"; use ${methodList}` });
  return methods;
});

/** `<startMs>:<durationMs>`: down from that long after start, for that long. */
export const outageWindow = z
  .string()
  .regex(/^\d+:\d+$/, { message: 'must be <startMs>:<durationMs>, e.g. 10000:30000' })
  .transform((text) => {
    const [startMs, durationMs] = text.split(':').map(Number) as [number, number];
    return { startMs, durationMs };
  });

const STATUS_NAMES = Object.keys(status).filter((k) => Number.isNaN(Number(k)) && k !== 'OK');

export const statusName = z
  .string()
  .refine((name) => STATUS_NAMES.includes(name), { message: `must be a gRPC status name, e.g. UNAVAILABLE` });

export const simTargets = z.string().transform((text, ctx): SdpTarget[] => {
  const targets = text.split(',').map((t) => t.trim().toUpperCase());
  const bad = targets.find((t) => !(SDP_TARGETS as readonly string[]).includes(t));
  if (bad !== undefined || targets.length === 0) {
    ctx.addIssue({ code: 'custom', message: `must list targets from ${SDP_TARGETS.join(', ')}` });
  }
  return [...new Set(targets)] as SdpTarget[];
});

/** The simulator's variables, to be merged into a schema of a whole environment. */
export const simEnvShape = {
  SDP_SIM_PORT: integer(0, 65534, 50051),
  SDP_SIM_HOST: z.string().optional(),
  SDP_SIM_TARGETS: simTargets.optional(),
  SDP_SIM_DATA_DIR: z.string().optional(),
  SDP_SIM_SEED: wholeNumber(0, 2 ** 32 - 1),
  SDP_SIM_DEVICE_MS: integer(0, 3_600_000, 3000),
  SDP_SIM_DEVICE_JITTER: rate.optional(),
  SDP_SIM_FAILURE_RATE: rate.optional(),
  SDP_SIM_STALL_RATE: rate.optional(),
  SDP_SIM_PARALLELISM: integer(0, 100_000, 0),
  SDP_SIM_ERROR_RATE: perMethod(rate, 'a rate from 0 to 1').optional(),
  SDP_SIM_ERROR_CODE: statusName.optional(),
  SDP_SIM_LATENCY_MS: perMethod(milliseconds, 'a whole number of milliseconds').optional(),
  SDP_SIM_HANG: hangList.optional(),
  SDP_SIM_OUTAGE: outageWindow.optional(),
};

type SimEnv = z.output<z.ZodObject<typeof simEnvShape>>;

/** The simulator's settings from its parsed variables; its data lives under `dataDir` unless set. */
export function simConfigFrom(e: SimEnv, dataDir: string, cwd: string): SimConfig {
  return {
    host: e.SDP_SIM_HOST ?? '127.0.0.1',
    port: e.SDP_SIM_PORT,
    targets: e.SDP_SIM_TARGETS ?? SDP_TARGETS,
    dataDir: path.resolve(cwd, e.SDP_SIM_DATA_DIR ?? path.join(dataDir, 'sdp-sim')),
    seed: e.SDP_SIM_SEED,
    devices: {
      durationMs: e.SDP_SIM_DEVICE_MS,
      jitter: e.SDP_SIM_DEVICE_JITTER ?? 0.5,
      failureRate: e.SDP_SIM_FAILURE_RATE ?? 0,
      stallRate: e.SDP_SIM_STALL_RATE ?? 0,
      parallelism: e.SDP_SIM_PARALLELISM,
    },
    faults: {
      errorRate: e.SDP_SIM_ERROR_RATE ?? {},
      errorCode: e.SDP_SIM_ERROR_CODE ?? 'UNAVAILABLE',
      latencyMs: e.SDP_SIM_LATENCY_MS ?? {},
      hang: e.SDP_SIM_HANG ?? [],
      outage: e.SDP_SIM_OUTAGE,
    },
  };
}

const standaloneSchema = z.object({
  ...simEnvShape,
  ...processEnvShape,
});

/** `npm run sdp-sim`: the simulator's variables, `DATA_DIR` and `LOG_LEVEL`, and nothing of seghub's. */
export function loadSimConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { sim: SimConfig; logLevel: LogLevel } {
  const e = parseEnv(standaloneSchema, env);
  const dataDir = dataDirOf(e.DATA_DIR, cwd);
  const problem = directoryProblem('DATA_DIR', dataDir);
  if (problem) throw new ConfigError([problem]);
  return deepFreeze({ sim: simConfigFrom(e, dataDir, cwd), logLevel: e.LOG_LEVEL ?? 'info' });
}
