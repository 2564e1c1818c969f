import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/domain/trust/public-key.js';
import { segmentStatement } from '../../../src/domain/trust/signature-statement.js';
import { signStatement, verifySignature } from '../../../src/domain/trust/signature-verify.js';

/** The fenced block following `label` in the test vector section of docs/trust.md. */
function blockAfter(doc: string, label: string): string {
  const at = doc.indexOf(label);
  expect(at, `"${label}" in docs/trust.md`).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (!match) throw new Error(`no code block after "${label}"`);
  return match[1]!;
}

describe('the test vector in docs/trust.md', () => {
  let vector: string;
  beforeAll(async () => {
    const doc = await readFile(new URL('../../../docs/trust.md', import.meta.url), 'utf8');
    vector = doc.slice(doc.indexOf('## Test vector'));
  });

  it('holds: key id, statement bytes and the Ed25519 signature re-derive from the private key', () => {
    const privateKey = createPrivateKey(blockAfter(vector, 'Private key'));
    const publicKey = parsePublicKey(blockAfter(vector, 'Public key:'));
    expect(publicKey.algorithm).toBe('ED25519');
    expect(publicKey.keyId).toBe(blockAfter(vector, 'Key id:').trim());
    expect(publicKey.publicKeyPem.trim()).toBe(blockAfter(vector, 'Public key:').trim());

    const fields = /name `([^`]+)`, version `([^`]+)`, size `(\d+)`, sha256\s+`([0-9a-f]{64})`/.exec(vector);
    if (!fields) throw new Error('the segment line of the test vector is missing');
    const statement = segmentStatement({
      name: fields[1]!,
      version: fields[2]!,
      size: Number(fields[3]),
      sha256: fields[4]!,
    });
    expect(statement.toString('hex')).toBe(blockAfter(vector, 'Statement as hex:').trim());
    expect(statement.toString('utf8')).toBe(blockAfter(vector, 'Statement (').replace(/\n$/, ''));
    expect(vector).toContain(`Statement (${statement.length} bytes`);

    const signature = blockAfter(vector, 'Signature (base64):').trim();
    expect(signStatement(privateKey, 'ED25519', statement).toString('base64')).toBe(signature);
    expect(verifySignature(publicKey, statement, signature)).toBe(signature);
  });
});
