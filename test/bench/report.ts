import { writeFile } from 'node:fs/promises';
import type { Summary } from './stats.js';

/** One target of a case: what was asked, what was measured, whether it held. */
export interface Check {
  what: string;
  ok: boolean;
}

/** One line of `bench-results.json`. */
export interface BenchResult {
  case: string;
  /** Unit of `seghub` and `baseline`. */
  unit: string;
  /** The figure the target is about (`metric` of the samples): seghub's, then the baseline's. */
  seghub: number | null;
  baseline: number | null;
  /** seghub ÷ baseline; null without a baseline. */
  ratio: number | null;
  target: string;
  pass: boolean;
  /** `median` or `p99`: which statistic `seghub` and `baseline` are. */
  metric: 'median' | 'p99';
  seghubStats?: Summary;
  baselineStats?: Summary;
  /** What failed, when the case could not run to the end: always a failure, even with --quick. */
  error?: string;
  /** Anything else the case measured: peak RSS, bytes per poll, sizes. */
  extra?: Record<string, number | string>;
  checks?: Check[];
  seconds?: number;
}

/** Builds a result from samples; `checks` decide `pass`. */
export function result(fields: {
  case: string;
  unit: string;
  metric: 'median' | 'p99';
  seghub?: Summary;
  baseline?: Summary;
  checks: Check[];
  extra?: Record<string, number | string>;
}): BenchResult {
  const pick = (s?: Summary) => (s ? round(s[fields.metric]) : null);
  const seghub = pick(fields.seghub);
  const baseline = pick(fields.baseline);
  return {
    case: fields.case,
    unit: fields.unit,
    seghub,
    baseline,
    ratio: seghub !== null && baseline ? round(seghub / baseline, 2) : null,
    target: fields.checks.map((c) => c.what).join('; '),
    pass: fields.checks.every((c) => c.ok),
    metric: fields.metric,
    seghubStats: fields.seghub && roundSummary(fields.seghub),
    baselineStats: fields.baseline && roundSummary(fields.baseline),
    extra: fields.extra,
    checks: fields.checks,
  };
}

/** A case that could not run (an error, or no room on disk). */
export function failed(name: string, error: unknown): BenchResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    case: name,
    unit: '',
    seghub: null,
    baseline: null,
    ratio: null,
    target: '',
    pass: false,
    metric: 'median',
    error: message,
  };
}

/** `at most` checks: `≤ limit` with the measured value shown. */
export function atMost(label: string, value: number | null, limit: number, unit = ''): Check {
  const shown = value === null ? 'n/a' : `${round(value, 2)}${unit}`;
  return { what: `${label} ${shown} ≤ ${limit}${unit}`, ok: value !== null && value <= limit };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function roundSummary(s: Summary): Summary {
  return {
    n: s.n,
    median: round(s.median, 2),
    p99: round(s.p99, 2),
    min: round(s.min, 2),
    max: round(s.max, 2),
    mean: round(s.mean, 2),
  };
}

const HEADERS = ['case', 'metric', 'seghub', 'baseline', 'ratio', 'target', 'pass'];

/** The table `npm run bench` prints, also the table of each run's record in `results/` (it is Markdown). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.case,
    r.error ? 'error' : `${r.metric} ${r.unit}`,
    r.error ? '—' : cell(r.seghub, r.seghubStats),
    r.error ? '—' : cell(r.baseline, r.baselineStats),
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.error ? r.error.split('\n')[0]!.slice(0, 100) : withExtra(r),
    r.pass ? 'yes' : 'NO',
  ]);
  const lines = [HEADERS, HEADERS.map(() => '---'), ...rows].map((cols) => `| ${cols.join(' | ')} |`);
  return lines.join('\n');
}

function cell(value: number | null, stats?: Summary): string {
  if (value === null || !stats) return '—';
  return `${value} (med ${stats.median}, p99 ${stats.p99}, n=${stats.n})`;
}

function withExtra(r: BenchResult): string {
  const extra = Object.entries(r.extra ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return extra ? `${r.target} [${extra}]` : r.target;
}

export async function writeResults(file: string, results: readonly BenchResult[]): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
