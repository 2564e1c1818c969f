import type { BenchEnv } from '../env.js';
import type { BenchResult } from '../report.js';
import { GIB, MIB } from '../stats.js';
import { convergeCase } from './converge.js';
import { createSyncCase } from './create-sync.js';
import { downloadCase } from './download.js';
import { installCase } from './install.js';
import { install100kCase } from './install-100k.js';
import { listCases } from './list.js';
import { manifestCase } from './manifest.js';
import { rolloutCase } from './rollout.js';
import { seatsSelectorCase } from './seats-selector.js';
import { shardedSyncCase } from './sharded-sync.js';
import { subscribeCase } from './subscribe.js';
import { tusCase } from './tus.js';
import { uploadCase } from './upload.js';

/** Cases that share a setup (a seeded store, a big file) run as one group; `names` in table order. */
export interface CaseGroup {
  names: string[];
  run(env: BenchEnv, wanted: string[]): Promise<BenchResult[]>;
}

const bigPayload = (env: BenchEnv) => (env.quick ? 50 * MIB : 2.5 * GIB);

export const CASE_GROUPS: CaseGroup[] = [
  {
    names: ['upload-1g'],
    run: async (env) => [
      await uploadCase(env, {
        name: 'upload-1g',
        payloadBytes: env.quick ? 20 * MIB : GIB,
        rounds: env.quick ? 2 : 3,
        ratioLimit: 1.3,
      }),
    ],
  },
  {
    names: ['tus-1g'],
    run: async (env) => [
      await tusCase(env, {
        name: 'tus-1g',
        payloadBytes: env.quick ? 20 * MIB : GIB,
        chunkBytes: env.quick ? 4 * MIB : 64 * MIB,
        rounds: env.quick ? 2 : 3,
        ratioLimit: 1.3,
      }),
    ],
  },
  {
    names: ['download-1g'],
    run: async (env) => [
      await downloadCase(env, {
        name: 'download-1g',
        payloadBytes: env.quick ? 20 * MIB : GIB,
        rounds: env.quick ? 2 : 3,
        ratioLimit: 1.2,
      }),
    ],
  },
  {
    names: ['upload-2.5g', 'manifest-2.5g'],
    run: async (env, wanted) => {
      const results: BenchResult[] = [];
      if (wanted.includes('upload-2.5g')) {
        results.push(
          await uploadCase(env, { name: 'upload-2.5g', payloadBytes: bigPayload(env), rounds: 1 }),
        );
      }
      if (wanted.includes('manifest-2.5g')) {
        results.push(await manifestCase(env, bigPayload(env), env.quick ? 5 : 20));
      }
      return results;
    },
  },
  { names: ['list-100k', 'list-100k-filter'], run: listCases },
  { names: ['seats-selector-100k'], run: async (env) => [await seatsSelectorCase(env)] },
  { names: ['create-sync-500'], run: async (env) => [await createSyncCase(env)] },
  { names: ['install-10k'], run: async (env) => [await installCase(env)] },
  { names: ['install-100k'], run: async (env) => [await install100kCase(env)] },
  { names: ['sharded-sync-3'], run: async (env) => [await shardedSyncCase(env)] },
  { names: ['converge-10k'], run: async (env) => [await convergeCase(env)] },
  { names: ['rollout-10k'], run: async (env) => [await rolloutCase(env)] },
  { names: ['subscribe-1k'], run: async (env) => [await subscribeCase(env)] },
];

export const CASE_NAMES = CASE_GROUPS.flatMap((g) => g.names);
