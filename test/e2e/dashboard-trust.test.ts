import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddSegmentSignature } from '../support/documents/trust-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, sha256Hex } from '../support/harness/auth.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An operator signs (D7); the admin manages keys and moves segments through their lifecycle. */
const TOKENS = {
  operator: `st_operator_${randomBytes(16).toString('hex')}`,
  admin: `st_admin_${randomBytes(16).toString('hex')}`,
};

/** SPEC-FLEET D10: the bytes a signature signs, built here from the contract, not from seghub's code. */
function statement(segment: { name: string; sha256: string; size: number; version: string }): Buffer {
  const { name, sha256, size, version } = segment;
  return Buffer.from(`seghub-segment-v1\n${JSON.stringify({ name, sha256, size, version })}`);
}

/**
 * Signed segments and the release lifecycle in the dashboard (issue 26), in headless Chromium
 * against a seghub that enforces authentication: the admin adds a signing key on its page; a fresh
 * upload is DRAFT with the promotion checklist saying why; release is refused with those reasons;
 * marked tested it releases, then deprecates, each seen without a reload; a revoked key's signature
 * stops counting; a file changed behind seghub's back shows TAMPERED once verified.
 */
describe.runIf(policy.run || policy.missingInCi)(
  'the dashboard: signed segments and the release lifecycle',
  () => {
    let app: SegmentApp;
    let browser: TestBrowser;
    let removeTokens: () => Promise<void>;
    let segment: { id: string; name: string; version: string; sha256: string; size: number };
    /** Requests of the page to anything but this machine: refused, and the test fails on any. */
    const outside: string[] = [];

    beforeAll(async () => {
      if (policy.missingInCi)
        throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
      const dir = await tempDir('seghub-dashboard-trust-tokens');
      removeTokens = dir.remove;
      const tokensFile = path.join(dir.dir, 'tokens.txt');
      await writeFile(
        tokensFile,
        [
          `operator ${sha256Hex(TOKENS.operator)} ci-operator`,
          `admin ${sha256Hex(TOKENS.admin)} ci-admin`,
          '',
        ].join('\n'),
      );
      app = await startSegmentApp({ AUTH_TOKENS_FILE: tokensFile });
      const bytes = await buildSegmentZip({ name: 'trust-app', version: '2.1.0' }, { payload: 'v2.1' });
      const uploaded = await uploadSegment(
        app.url,
        { bytes, fileName: 'trust-app-2.1.0.zip' },
        bearer(TOKENS.operator),
      );
      if (uploaded.__typename !== 'UploadSegmentSuccess') throw new Error(JSON.stringify(uploaded));
      segment = uploaded.segment;
      browser = await launchChromium();
      await browser.context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.protocol.startsWith('http') && !LOCAL_HOSTS.has(url.hostname)) {
          outside.push(url.href);
          return route.abort('blockedbyclient');
        }
        return route.continue();
      });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
      await removeTokens?.();
    });

    async function signedIn(hash: string, errors: string[]): Promise<Page> {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.base}/${hash}`);
      await page.getByText('API token').click();
      await page.getByLabel('API token').fill(TOKENS.admin);
      await page.getByRole('button', { name: 'Use' }).click();
      await page.getByRole('status', { name: 'Live updates' }).getByText('Live').waitFor();
      return page;
    }

    it('adds a key, refuses release with the reasons, releases once tested and deprecates, live', async () => {
      const errors: string[] = [];
      const page = await signedIn('#/keys', errors);

      // The admin adds an Ed25519 key generated here; the table shows its label, algorithm and id.
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const keyId = createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex');
      const keyForm = page.getByRole('form', { name: 'Add a signing key' });
      await keyForm.getByLabel('Public key (PEM)').fill(pem);
      await keyForm.getByLabel('Label').fill('release-team');
      await keyForm.getByLabel('Not after (optional)').fill('2031-06-30T12:00');
      await keyForm.getByRole('button', { name: 'Add key' }).click();
      await keyForm
        .getByRole('status')
        .getByText(`Added release-team (ED25519, ${keyId.slice(0, 12)}).`)
        .waitFor();
      const keyRow = page
        .getByRole('table', { name: 'Signing keys' })
        .getByRole('row', { name: /release-team/ });
      await keyRow.waitFor();
      expect(await keyRow.getByRole('cell').allTextContents()).toEqual([
        'ED25519',
        keyId.slice(0, 12),
        expect.any(String),
        expect.stringContaining('2031'),
        'no',
        'Revoke…',
      ]);
      // A PEM that is not a key is refused in its code's words.
      await keyForm
        .getByLabel('Public key (PEM)')
        .fill('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----');
      await keyForm.getByLabel('Label').fill('broken');
      await keyForm.getByRole('button', { name: 'Add key' }).click();
      await keyForm
        .getByRole('alert')
        .getByText(/^Not added\. Not a public key seghub accepts/)
        .waitFor();

      // The operator signs the segment with that key (through the API, as `npm run sign` users do).
      const signature = sign(null, statement(segment), privateKey).toString('base64');
      const signed = await httpGraphQL(
        app.url,
        AddSegmentSignature,
        { id: segment.id, keyId, signature },
        bearer(TOKENS.operator),
      );
      expect(signed.data?.addSegmentSignature.__typename).toBe('AddSegmentSignatureSuccess');

      // The fresh upload is DRAFT in the list and in its details, with the checklist saying why.
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Segments' }).click();
      const row = page.getByRole('table', { name: 'Segments' }).getByRole('row', { name: /trust-app/ });
      await row.getByTestId('lifecycle').getByText('DRAFT', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'Open trust-app 2.1.0' }).click();
      const detail = page.getByRole('region', { name: 'Segment details' });
      const lifecycle = detail.getByRole('region', { name: 'Release lifecycle' });
      await lifecycle.getByTestId('lifecycle').getByText('DRAFT', { exact: true }).waitFor();
      await lifecycle.getByText('Not tested yet').waitFor();
      const reasons = await lifecycle
        .getByRole('list', { name: 'Promotion reasons' })
        .getByRole('listitem')
        .allTextContents();
      expect(reasons.length).toBeGreaterThan(0);
      const signatures = lifecycle.getByRole('table', { name: 'Signatures' });
      expect(
        await signatures
          .getByRole('row', { name: /release-team/ })
          .getByRole('cell')
          .allTextContents(),
      ).toEqual([keyId.slice(0, 12), expect.any(String), 'valid']);
      await lifecycle.getByTestId('signature-status').getByText('VALID', { exact: true }).waitFor();
      // Nothing below may reload the page: this mark would be gone.
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));

      // Release of a DRAFT is refused: SEGMENT_NOT_TESTED, with the gate's reasons listed.
      const actions = lifecycle.getByRole('form', { name: 'Lifecycle actions' });
      await actions.getByRole('button', { name: 'Release' }).click();
      const refusal = actions.getByRole('alert');
      await refusal.getByText(/^Release refused\. The segment is not tested yet/).waitFor();
      expect(
        await refusal.getByRole('list', { name: 'Why not' }).getByRole('listitem').allTextContents(),
      ).toEqual(reasons);

      // Marked tested by the admin (a reason is required), then released with a note.
      await actions.getByRole('button', { name: 'Mark tested' }).click();
      await actions.getByRole('alert').getByText('Mark tested: give a reason first.').waitFor();
      await actions.getByLabel('Reason or note').fill('QA sign-off on the bench rig');
      await actions.getByRole('button', { name: 'Mark tested' }).click();
      await lifecycle.getByTestId('lifecycle').getByText('TESTED', { exact: true }).waitFor();
      await lifecycle.getByText(/^Tested /).waitFor();
      await actions.getByLabel('Reason or note').fill('ship it');
      await actions.getByRole('button', { name: 'Release' }).click();
      await actions.getByRole('status').getByText('Released.').waitFor();
      await lifecycle.getByTestId('lifecycle').getByText('RELEASED', { exact: true }).waitFor();
      await lifecycle.getByText(/released .* by ci-admin: ship it$/).waitFor();
      await row.getByTestId('lifecycle').getByText('RELEASED', { exact: true }).waitFor();

      // Deprecated with a reason: the badge and the reason, in the details and the list.
      await actions.getByLabel('Reason or note').fill('superseded by 2.2.0');
      await actions.getByRole('button', { name: 'Deprecate' }).click();
      await lifecycle.getByTestId('lifecycle').getByText('DEPRECATED', { exact: true }).waitFor();
      await lifecycle.getByText('deprecated: superseded by 2.2.0').waitFor();
      await row.getByTestId('lifecycle').getByText('DEPRECATED', { exact: true }).waitFor();
      expect(await actions.getByRole('button', { name: 'Release' }).count()).toBe(0);

      // The stored file is changed behind seghub's back: "Verify file" finds it and both views say TAMPERED.
      const stored = path.join(app.dataDir, 'segments', segment.sha256);
      await chmod(stored, 0o644);
      await writeFile(stored, 'not the uploaded bytes');
      await actions.getByRole('button', { name: 'Verify file' }).click();
      await actions
        .getByRole('alert')
        .getByText(/^The stored file does not match its SHA-256/)
        .waitFor();
      await lifecycle.getByTestId('integrity').getByText('TAMPERED', { exact: true }).waitFor();
      await row.getByTestId('integrity').getByText('TAMPERED', { exact: true }).waitFor();
      expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);

      // Revoking the key on its page: the segment's signature stops counting, with the reason.
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Signing keys' })
        .click();
      await keyRow.getByRole('button', { name: 'Revoke release-team' }).click();
      const revoke = page.getByRole('form', { name: 'Revoke release-team' });
      await revoke.getByLabel('Reason').fill('laptop lost');
      await revoke.getByRole('button', { name: 'Revoke key' }).click();
      await page.getByRole('status').getByText('Revoked release-team.').waitFor();
      await keyRow.getByText('laptop lost').waitFor();
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Segments' }).click();
      await row.getByRole('button', { name: 'Open trust-app 2.1.0' }).click();
      const signatureRow = lifecycle
        .getByRole('table', { name: 'Signatures' })
        .getByRole('row', { name: /release-team/ });
      await signatureRow.getByText(/revoked/i).waitFor();
      await lifecycle.getByTestId('signature-status').getByText('INVALID', { exact: true }).waitFor();
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
    }, 120_000);
  },
);
