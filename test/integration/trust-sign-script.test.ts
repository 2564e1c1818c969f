import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegmentService } from '../../src/domain/segments/segment-service.js';
import { Keyring } from '../../src/domain/trust/keyring.js';
import { SignatureService } from '../../src/domain/trust/signature-service.js';
import { segmentStatement } from '../../src/domain/trust/signature-statement.js';
import type { KeyAlgorithm } from '../../src/domain/trust/trust-types.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import type { StoredSegment } from '../../src/records/segment-records.js';
import { SegmentRecords } from '../../src/records/segment-records.js';
import { SigningKeyRecords } from '../../src/records/signing-key-records.js';
import { openFileStorage } from '../../src/storage/file-storage.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { catalogOf } from '../support/fixtures/segment-catalog.js';
import { generateTestKey } from '../support/fixtures/signing-keys.js';
import { tempDir } from '../support/harness/temp.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run sign -- …` is `tsx scripts/sign.ts …`; run the same with this node. */
function sign(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sign.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

/** The sign script (SPEC-FLEET section 3) on a real segment archive, its output checked by seghub. */
describe('npm run sign', () => {
  let dir: string;
  let removeDir: () => Promise<void>;
  let store: KvStore;
  let closeCatalog: () => Promise<void>;
  let keyring: Keyring;
  let signatures: SignatureService;
  let segment: StoredSegment;
  let zipPath: string;

  beforeAll(async () => {
    ({ dir, remove: removeDir } = await tempDir('seghub-sign'));
    store = await openEmbeddedKv({ dir: path.join(dir, 'store') });
    const records = new SegmentRecords(store);
    const { catalog, close } = catalogOf(store);
    closeCatalog = close;
    const storage = await openFileStorage(path.join(dir, 'segments'), { logger: pino({ level: 'silent' }) });
    const segments = new SegmentService({
      records,
      catalog,
      storage,
      maxUploadBytes: 10 * 1024 * 1024,
      retry: { retryMax: 1, retryBaseMs: 1 },
    });
    keyring = new Keyring({ records: new SigningKeyRecords(store), maxKeys: 10 });
    signatures = new SignatureService({ segments, catalog, keyring, required: 3, maxSignatures: 16 });
    const bytes = await buildSegmentZip(RADAR_MANIFEST, { 'bin/radar': 'x'.repeat(50_000) });
    zipPath = path.join(dir, 'radar-display-3.5.1.zip');
    await writeFile(zipPath, bytes);
    segment = await segments.upload({
      fileName: 'radar-display-3.5.1.zip',
      open: () => Readable.from([bytes]),
    });
  }, 60_000);

  afterAll(async () => {
    await closeCatalog?.();
    await store?.close();
    await removeDir?.();
  });

  it('--statement prints exactly the statement of the uploaded segment, no newline', async () => {
    const { code, stdout, stderr } = await sign([zipPath, '--statement']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.equals(segmentStatement(segment.record))).toBe(true);
    expect(stdout.toString()).toMatch(
      /^seghub-segment-v1\n\{"name":"radar-display",.*"version":"3\.5\.1"\}$/,
    );
  });

  it('signs with a key of each algorithm; seghub accepts every signature and the segment is VALID', async () => {
    const algorithms: KeyAlgorithm[] = ['ED25519', 'ECDSA_P256_SHA256', 'RSA_PSS_SHA256'];
    for (const algorithm of algorithms) {
      const pair = generateTestKey(algorithm);
      const keyPath = path.join(dir, `${algorithm}.pem`);
      await writeFile(keyPath, pair.privateKeyPem, { mode: 0o600 });
      const key = await keyring.add(pair.publicKeyPem, algorithm, undefined, 'admin');
      const { code, stdout, stderr } = await sign([zipPath, '--key', keyPath]);
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`signed with key ${key.keyId} (${algorithm})`);
      const output = stdout.toString();
      expect(output).toMatch(/^[A-Za-z0-9+/]+=*\n$/);
      await signatures.add(segment.id, key.keyId, output.trim(), 'operator');
    }
    const stored = (await new SegmentRecords(store).get(segment.id))!;
    expect(stored.record.signatures).toHaveLength(3);
    expect(await signatures.judge(stored)).toMatchObject({
      status: 'VALID',
      validKeys: 3,
      required: 3,
      meetsPolicy: true,
    });
  });

  it('exits 2 with a clear message on bad arguments and inputs', async () => {
    const rsa2048 = path.join(dir, 'rsa2048.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(rsa2048, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const notAKey = path.join(dir, 'not-a-key.pem');
    await writeFile(notAKey, 'hello');
    const cases: [string[], RegExp][] = [
      [[], /expected one segment file, got 0/],
      [[zipPath], /give --key <private.pem> or --statement/],
      [[zipPath, '--statement', '--key', rsa2048], /not both/],
      [[zipPath, '--bogus'], /Unknown option '--bogus'/],
      [[path.join(dir, 'missing.zip'), '--statement'], /cannot read .*missing\.zip: ENOENT/],
      [[notAKey, '--statement'], /is not a segment archive/],
      [[zipPath, '--key', rsa2048], /not accepted: .*2048 bits/],
      [[zipPath, '--key', notAKey], /does not hold a private key PEM/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await sign(args);
      expect({ args, code, stdout: stdout.toString() }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr).toMatch(message);
    }
  });
});
