import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** A V8 `.cpuprofile` (what `node --cpu-prof` writes). */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where a process spent its CPU: self time by function and by module (a package under
 * node_modules, or a file of ours), largest first. Idle and GC are shown as V8 names them.
 */
export async function hotSpots(file: string, top = 15): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id);
    if (!frame) return;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      return;
    }
    const where = shortUrl(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const mod = moduleOf(frame.url, frame.functionName);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
  });
  const busy = total - idle;
  const lines = [
    `    profiled ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${pct(busy, total)} of wall)`,
    '    self time by module:',
    ...topOf(byModule, 8).map(([k, us]) => `      ${fmt(us)} ${pct(us, busy)}  ${k}`),
    '    self time by function:',
    ...topOf(byFunction, top).map(([k, us]) => `      ${fmt(us)} ${pct(us, busy)}  ${k}`),
  ];
  return lines.join('\n');
}

function topOf(map: Map<string, number>, n: number): Array<[string, number]> {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
}

function shortUrl(url: string): string {
  const local = url.replace(/^file:\/\//, '');
  return local.startsWith(ROOT) ? local.slice(ROOT.length) : local;
}

function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const local = shortUrl(url);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(local);
  if (pkg) return pkg[1]!;
  if (local.startsWith('node:')) return local;
  return local;
}

function fmt(us: number): string {
  return `${(us / 1000).toFixed(0).padStart(7)} ms`;
}

function pct(part: number, whole: number): string {
  return `${whole ? ((100 * part) / whole).toFixed(1) : '0.0'}%`.padStart(6);
}
