import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loadSimConfig } from '../../src/sim/sim-config.js';
import { ConfigError } from '../../src/util/env.js';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env, '/srv/seghub');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/seghub');
    expect(config.port).toBe(4000);
    expect(config.dataDir).toBe('/srv/seghub/data');
    expect(config.store).toEqual({ kind: 'embedded', dir: path.join('/srv/seghub/data', 'store') });
    expect(config.sdp.deployAddr).toBeUndefined();
    expect(config.sdp.store15sAddr).toBeUndefined();
    expect(config.auth.disabled).toBe(false);
  });

  it('switches to etcd when ETCD_ENDPOINTS is set, with the default prefix', () => {
    const config = loadConfig({
      ETCD_ENDPOINTS: 'http://10.0.0.1:2379, http://10.0.0.2:2379',
      AUTH_DISABLED: 'true',
    });
    expect(config.store).toEqual({
      kind: 'etcd',
      endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379'],
      prefix: '/seghub/',
    });
  });

  it('reads every contract variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATA_DIR: 'state',
        ETCD_ENDPOINTS: 'http://127.0.0.1:2379',
        ETCD_PREFIX: '/site-a/seghub/',
        SDP_DEPLOY_ADDR: 'deploy.internal:50051',
        SDP_STORE15S_ADDR: '[::1]:50052',
        SDP_SIM_PORT: '50060',
        MAX_UPLOAD_BYTES: '5368709120',
        SYNC_RETRY_MAX: '3',
        SYNC_RETRY_BASE_MS: '250',
        INSTALL_POLL_MS: '500',
        REMOTE_SYNC_INTERVAL_MS: '30000',
        AUTH_TOKENS_FILE: 'tokens.txt',
        AUTH_DISABLED: 'true',
      },
      '/srv/seghub',
    );
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/srv/seghub/state',
      store: { kind: 'etcd', prefix: '/site-a/seghub/' },
      sdp: { deployAddr: 'deploy.internal:50051', store15sAddr: '[::1]:50052' },
      sim: { port: 50060 },
      upload: { maxBytes: 5 * 1024 ** 3 },
      sync: { retryMax: 3, retryBaseMs: 250, remoteIntervalMs: 30_000 },
      install: { pollMs: 500 },
      auth: { tokensFile: '/srv/seghub/tokens.txt', disabled: true },
    });
  });

  it('reads the storage and controller settings, with defaults under DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR: 'state' }, '/srv/seghub')).toMatchObject({
      storage: { dir: '/srv/seghub/state/segments' },
      controller: { workers: 8, resyncMs: 300_000, leaseTtlSeconds: 10 },
    });
    const tuned = loadConfig(
      {
        STORAGE_DIR: '/mnt/shared/segments',
        CONTROLLER_WORKERS: '12',
        CONTROLLER_RESYNC_MS: '60000',
        LEADER_LEASE_TTL_S: '5',
      },
      '/srv/seghub',
    );
    expect(tuned).toMatchObject({
      storage: { dir: '/mnt/shared/segments' },
      controller: { workers: 12, resyncMs: 60_000, leaseTtlSeconds: 5 },
    });
    expect(
      problemsOf({ CONTROLLER_WORKERS: '0', LEADER_LEASE_TTL_S: '1' })
        .map((p) => p.variable)
        .sort(),
    ).toEqual(['CONTROLLER_WORKERS', 'LEADER_LEASE_TTL_S']);
  });

  it('names PORT when it is not a number', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual([
      { variable: 'PORT', message: expect.stringContaining('whole number') },
    ]);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      SYNC_RETRY_MAX: '0',
      ETCD_ENDPOINTS: 'etcd-1:2379',
      SDP_DEPLOY_ADDR: 'no-port',
      AUTH_DISABLED: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual(
      ['AUTH_DISABLED', 'ETCD_ENDPOINTS', 'LOG_LEVEL', 'PORT', 'SDP_DEPLOY_ADDR', 'SYNC_RETRY_MAX'].sort(),
    );
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', ETCD_ENDPOINTS: ' ' }).port).toBe(4000);
    expect(loadConfig({ ETCD_ENDPOINTS: '' }).store.kind).toBe('embedded');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.sync)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('reads the SDP simulator knobs, per method where they apply', () => {
    const { sim, sdp } = loadConfig(
      {
        SDP_CALL_TIMEOUT_MS: '2500',
        SDP_SIM_TARGETS: 'store_15s',
        SDP_SIM_SEED: '42',
        SDP_SIM_DEVICE_MS: '200',
        SDP_SIM_FAILURE_RATE: '0.3',
        SDP_SIM_PARALLELISM: '50',
        SDP_SIM_ERROR_RATE: 'CreateSegment=0.2, *=0.01',
        SDP_SIM_ERROR_CODE: 'INTERNAL',
        SDP_SIM_LATENCY_MS: '40',
        SDP_SIM_HANG: 'GetTask,Check',
        SDP_SIM_OUTAGE: '10000:30000',
      },
      '/srv/seghub',
    );
    expect(sdp.callTimeoutMs).toBe(2500);
    expect(sim).toMatchObject({
      targets: ['STORE_15S'],
      dataDir: '/srv/seghub/data/sdp-sim',
      seed: 42,
      devices: { durationMs: 200, failureRate: 0.3, parallelism: 50, stallRate: 0 },
      faults: {
        errorRate: { CreateSegment: 0.2, '*': 0.01 },
        errorCode: 'INTERNAL',
        latencyMs: { '*': 40 },
        hang: ['GetTask', 'Check'],
        outage: { startMs: 10_000, durationMs: 30_000 },
      },
    });
  });

  it('names each bad simulator knob', () => {
    expect(
      problemsOf({
        SDP_SIM_TARGETS: 'mars',
        SDP_SIM_FAILURE_RATE: '1.5',
        SDP_SIM_ERROR_RATE: 'Upload=0.1',
        SDP_SIM_HANG: 'GetTask,Nope',
        SDP_SIM_OUTAGE: 'soon',
        SDP_SIM_ERROR_CODE: 'BROKEN',
      }).map((p) => p.variable),
    ).toEqual([
      'SDP_SIM_TARGETS',
      'SDP_SIM_FAILURE_RATE',
      'SDP_SIM_ERROR_RATE',
      'SDP_SIM_ERROR_CODE',
      'SDP_SIM_HANG',
      'SDP_SIM_OUTAGE',
    ]);
    expect(problemsOf({ SDP_SIM_ERROR_RATE: 'Upload=0.1' })[0]?.message).toMatch(/unknown method "Upload"/);
  });

  // Regression (#22.5): today's main files this refusal under AUTH_TOKENS_FILE, a variable nobody set.
  it('refuses to run on etcd without authentication unless AUTH_DISABLED=true says so, under ETCD_ENDPOINTS', () => {
    const etcd = { ETCD_ENDPOINTS: 'http://10.0.0.1:2379' };
    expect(problemsOf(etcd)).toEqual([
      {
        variable: 'ETCD_ENDPOINTS',
        message: expect.stringMatching(
          /AUTH_TOKENS_FILE.*AUTH_JWT_SECRET.*AUTH_JWT_PUBLIC_KEY.*AUTH_DISABLED=true/,
        ),
      },
    ]);
    expect(loadConfig({ ...etcd, AUTH_DISABLED: 'true' }).auth.disabled).toBe(true);
    expect(loadConfig({ ...etcd, AUTH_TOKENS_FILE: 'tokens.txt' }, '/srv').auth.tokensFile).toBe(
      '/srv/tokens.txt',
    );
    expect(loadConfig({}).auth).toEqual({ disabled: false, tokensReloadMs: 5000 });
  });

  it('reads AUTH_JWT_PUBLIC_KEY as PEM text or from a file, and names it when it is no usable key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'pkcs1',
      format: 'pem',
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'seghub-config-'));
    writeFileSync(path.join(dir, 'jwt.pem'), rsa);
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ec.toString() }).auth.jwtPublicKey).toBe(ec.toString().trim());
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: path.join(dir, 'jwt.pem') }).auth.jwtPublicKey).toBe(
      rsa.toString(),
    );
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const bad of [
      '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----',
      path.join(dir, 'missing.pem'),
      ed,
    ]) {
      expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: bad })).toEqual([
        { variable: 'AUTH_JWT_PUBLIC_KEY', message: expect.stringContaining('must be a PEM public key') },
      ]);
    }
    expect(problemsOf({ AUTH_JWT_SECRET: 'short' })).toEqual([
      { variable: 'AUTH_JWT_SECRET', message: 'must be at least 32 characters' },
    ]);
  });

  it('reads the HTTP timeouts and the audit retention', () => {
    expect(loadConfig({})).toMatchObject({
      http: {
        requestTimeoutMs: 21_600_000,
        headersTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5000,
        keepAliveGraceMs: 10_000,
        idleTimeoutMs: 900_000,
      },
      audit: { retentionDays: 90 },
    });
    expect(
      loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0', HTTP_IDLE_TIMEOUT_MS: '0', AUDIT_RETENTION_DAYS: '7' }),
    ).toMatchObject({ http: { requestTimeoutMs: 0, idleTimeoutMs: 0 }, audit: { retentionDays: 7 } });
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '30000', HTTP_HEADERS_TIMEOUT_MS: '60000' })).toEqual([
      { variable: 'HTTP_HEADERS_TIMEOUT_MS', message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' },
    ]);
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '0' })[0]?.variable).toBe('AUDIT_RETENTION_DAYS');
    // Rules across variables are reported together too, not the first one alone.
    const both = {
      ETCD_ENDPOINTS: 'http://10.0.0.1:2379',
      HTTP_REQUEST_TIMEOUT_MS: '30000',
      HTTP_HEADERS_TIMEOUT_MS: '60000',
    };
    expect(problemsOf(both).map((p) => p.variable)).toEqual(['ETCD_ENDPOINTS', 'HTTP_HEADERS_TIMEOUT_MS']);
  });
});

describe('loadSimConfig (npm run sdp-sim)', () => {
  it("reads the simulator's variables, DATA_DIR and LOG_LEVEL, and ignores seghub's own", () => {
    // Bad values for seghub (a port out of range, etcd without auth) are not the simulator's business.
    const { sim, logLevel } = loadSimConfig(
      {
        PORT: '99999',
        ETCD_ENDPOINTS: 'http://127.0.0.1:2379',
        DATA_DIR: 'd',
        LOG_LEVEL: 'warn',
        SDP_SIM_SEED: '7',
      },
      '/srv/sim',
    );
    expect(logLevel).toBe('warn');
    expect(sim).toMatchObject({ port: 50051, seed: 7, dataDir: '/srv/sim/d/sdp-sim' });
  });

  it('names each bad simulator variable and LOG_LEVEL', () => {
    let problems: readonly { variable: string }[] = [];
    try {
      loadSimConfig({ SDP_SIM_PORT: 'x', LOG_LEVEL: 'loud', PORT: 'nope' }, '/srv/sim');
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'SDP_SIM_PORT']);
  });

  // Regression (#22.5): on today's main a DATA_DIR naming a file passes here and start-up dies later
  // with a stack trace from the first mkdir beneath it.
  it('refuses a DATA_DIR that names a file, or lies beneath one, naming DATA_DIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seghub-config-'));
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(problemsOf({ DATA_DIR: file })).toEqual([
      { variable: 'DATA_DIR', message: `must name a directory, but ${file} is a file` },
    ]);
    expect(problemsOf({ DATA_DIR: path.join(file, 'below') })).toEqual([
      { variable: 'DATA_DIR', message: expect.stringContaining('a parent of') },
    ]);
    expect(() => loadSimConfig({ DATA_DIR: file })).toThrow(/DATA_DIR: must name a directory/);
    // A directory that exists, or does not exist yet, is fine.
    expect(loadConfig({ DATA_DIR: dir }).dataDir).toBe(dir);
    expect(loadConfig({ DATA_DIR: path.join(dir, 'later') }).dataDir).toBe(path.join(dir, 'later'));
  });

  it('reads the manifest limits, 32 levels and 1,000 keys by default', () => {
    expect(loadConfig({}).manifest).toEqual({ maxDepth: 32, maxKeys: 1000 });
    expect(loadConfig({ MANIFEST_MAX_DEPTH: '8', MANIFEST_MAX_KEYS: '50' }).manifest).toEqual({
      maxDepth: 8,
      maxKeys: 50,
    });
    expect(problemsOf({ MANIFEST_MAX_DEPTH: '1000' })[0]?.variable).toBe('MANIFEST_MAX_DEPTH');
  });
});
