import { status } from '@grpc/grpc-js';
import { z } from 'zod';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import { SIM_METHODS } from './faults.js';

/**
 * Parsers for the simulator's environment variables, used by `config.ts`. The syntax is meant to be
 * typed by hand: `SDP_SIM_ERROR_RATE=0.1` for every method, or `CreateSegment=0.2,GetTask=0.05`.
 */

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
