import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type EtcdProcess, startEtcd } from '../support/harness/etcd.js';
import { CASE_GROUPS, CASE_NAMES } from './cases/index.js';
import { createBenchEnv } from './env.js';
import { run } from './processes.js';
import { describeCommit, describeMachine, etcdVersion, loadAverage, writeRunRecord } from './record.js';
import { type BenchResult, failed, formatTable, writeResults } from './report.js';

/**
 * `npm run bench [-- --quick] [-- --case <name>[,<name>]] [-- --no-fail] [-- --profile]`: every case
 * runs seghub (a real process on a real etcd, the SDP simulator over real sockets) and its baseline
 * on this machine, alternating, and prints a table; `bench-results.json` gets one entry per case.
 * A full-size run (not `--quick`) also leaves its record in `test/bench/results/` (see `record.ts`).
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    case: { type: 'string', multiple: true },
    'no-fail': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
  },
});

const wanted = (values.case ?? []).flatMap((c) => c.split(',')).filter(Boolean);
const unknown = wanted.filter((name) => !CASE_NAMES.includes(name));
if (unknown.length) {
  console.error(`unknown case ${unknown.join(', ')}; cases: ${CASE_NAMES.join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? wanted : CASE_NAMES;
const quick = values.quick;
const machine = describeMachine();
const startedAt = new Date().toISOString();
const loadAtStart = loadAverage();
console.info(
  `seghub bench${quick ? ' --quick' : ''}: ${selected.join(', ')}\n` +
    `machine: ${machine.cpus} cpus, ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}`,
);

const started = performance.now();
// Once for the run: seghub and the simulator are started many times, from `dist/` as `npm start` does.
await run('npm', ['run', '--silent', 'build']);
const profileDir = values.profile ? await mkdtemp(path.join(os.tmpdir(), 'seghub-bench-prof-')) : undefined;
let etcd: EtcdProcess | undefined;
const results: BenchResult[] = [];
try {
  etcd = await startEtcd();
} catch (error) {
  for (const name of selected) results.push(failed(name, error));
}
if (etcd) {
  const env = await createBenchEnv({ quick, profileDir, etcd });
  const interrupted = async () => {
    await env.dispose();
    await etcd?.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const group of CASE_GROUPS) {
      const names = group.names.filter((name) => selected.includes(name));
      if (!names.length) continue;
      const groupStarted = performance.now();
      console.info(`\n▶ ${names.join(', ')}`);
      let groupResults: BenchResult[];
      try {
        groupResults = await group.run(env, names);
      } catch (error) {
        console.error(error);
        groupResults = names.map((name) => failed(name, error));
      }
      const seconds = Math.round((performance.now() - groupStarted) / 100) / 10;
      for (const r of groupResults) {
        r.seconds = seconds;
        console.info(`  ${r.pass ? '✓' : '✗'} ${r.case}: ${r.error ?? r.target}`);
      }
      results.push(...groupResults);
    }
  } finally {
    await env.dispose();
    await etcd.stop();
  }
}

const wall = Math.round((performance.now() - started) / 1000);
console.info(
  `\n${formatTable(results)}\n\nwall time ${wall} s${profileDir ? `; CPU profiles in ${profileDir}` : ''}`,
);
await writeResults(values.out, results);
console.info(`wrote ${values.out}`);
// Small sizes measure nothing worth keeping: only full-size runs leave a record.
if (!quick) {
  const args = process.argv.slice(2);
  const record = await writeRunRecord({
    startedAt,
    command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    commit: await describeCommit(),
    machine: { ...machine, etcd: await etcdVersion() },
    load: { start: loadAtStart, end: loadAverage() },
    wallSeconds: wall,
    results,
  });
  console.info(`wrote ${path.relative(process.cwd(), record)}: commit it with the change it measures`);
}

// --quick runs small sizes where targets mean little: only a case that could not run fails it.
const failing = results.filter((r) => (quick ? r.error !== undefined : !r.pass));
if (failing.length && !values['no-fail']) {
  console.error(`failed: ${failing.map((r) => r.case).join(', ')}`);
  process.exit(1);
}
process.exit(0);
