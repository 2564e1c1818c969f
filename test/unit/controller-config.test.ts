import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { defaultMemberId } from '../../src/config/controller-config.js';
import { ConfigError } from '../../src/util/env.js';

/** CONTROLLER_MODE, MEMBER_TTL_S and MEMBER_ID (SPEC-FLEET section 6, D14). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/seghub');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('controller mode configuration', () => {
  it('is leader mode by default: no sharding', () => {
    expect(loadConfig({}, '/srv/seghub').controller.sharding).toBeUndefined();
    expect(
      loadConfig({ MEMBER_ID: 'x', MEMBER_TTL_S: '5' }, '/srv/seghub').controller.sharding,
    ).toBeUndefined();
  });

  it('gives a sharded replica a member id stable for its host and data dir, and the TTL', () => {
    const sharding = loadConfig({ CONTROLLER_MODE: 'sharded' }, '/srv/seghub').controller.sharding;
    expect(sharding).toEqual({ memberId: defaultMemberId('/srv/seghub/data'), memberTtlSeconds: 10 });
    expect(defaultMemberId('/srv/seghub/data', 'node-1')).toMatch(/^node-1-[0-9a-f]{8}$/);
    expect(defaultMemberId('/srv/a', 'node-1')).not.toBe(defaultMemberId('/srv/b', 'node-1'));
    expect(defaultMemberId('/srv/a', '_weird host!')).toMatch(/^weird-host--[0-9a-f]{8}$/);
    const set = loadConfig(
      { CONTROLLER_MODE: 'sharded', MEMBER_ID: 'replica-2', MEMBER_TTL_S: '4' },
      '/srv/seghub',
    );
    expect(set.controller.sharding).toEqual({ memberId: 'replica-2', memberTtlSeconds: 4 });
  });

  it('refuses a bad mode, TTL or member id', () => {
    expect(problemsOf({ CONTROLLER_MODE: 'shard' })).toEqual(['CONTROLLER_MODE']);
    expect(problemsOf({ MEMBER_TTL_S: '1' })).toEqual(['MEMBER_TTL_S']);
    expect(problemsOf({ MEMBER_ID: 'epoch' })).toEqual(['MEMBER_ID']);
    expect(problemsOf({ MEMBER_ID: 'a/b' })).toEqual(['MEMBER_ID']);
  });
});
