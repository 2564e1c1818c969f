import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpsertLabelledSeats, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import { GetSegment } from '../support/documents/segment-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, sha256Hex } from '../support/harness/auth.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const policy = chromiumSuitePolicy();

/** Two operators (approvals must come from another principal) and an admin who sets up the fleet. */
const TOKENS = {
  a: `st_operator_${randomBytes(16).toString('hex')}`,
  b: `st_operator_${randomBytes(16).toString('hex')}`,
  admin: `st_admin_${randomBytes(16).toString('hex')}`,
};

/**
 * Staged rollouts in the dashboard (issue 25), in headless Chromium against a seghub that enforces
 * authentication: operator A creates a three-wave rollout after reading its preview, operator B
 * approves the second wave in another browser, A's view follows live, and A rolls it back.
 */
describe.runIf(policy.run || policy.missingInCi)('the dashboard: staged rollouts', () => {
  let app: SegmentApp;
  let browserA: TestBrowser;
  let browserB: TestBrowser;
  let removeTokens: () => Promise<void>;
  const admin = bearer(TOKENS.admin);

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    const dir = await tempDir('seghub-dashboard-rollouts-tokens');
    removeTokens = dir.remove;
    const tokensFile = path.join(dir.dir, 'tokens.txt');
    await writeFile(
      tokensFile,
      [
        `operator ${sha256Hex(TOKENS.a)} operator-a`,
        `operator ${sha256Hex(TOKENS.b)} operator-b`,
        `admin ${sha256Hex(TOKENS.admin)} ci-admin`,
        '',
      ].join('\n'),
    );
    app = await startSegmentApp({
      AUTH_TOKENS_FILE: tokensFile,
      INSTALL_POLL_MS: '50',
      SOAK_CHECK_S: '1',
      ROLLOUT_RETRY_BASE_S: '0',
    });
    app.sim.sim
      .platform('DEPLOY_PLATFORM')
      .tasks.setBehaviour({ durationMs: 100, jitter: 0, failureRate: 0 });
    const seats = Array.from({ length: 6 }, (_, i) => ({
      name: `fleet-${i}`,
      ip: `10.60.0.${i + 1}`,
      labels: [{ key: 'ring', value: 'fleet' }],
    }));
    const added = await httpGraphQL(app.url, UpsertLabelledSeats, { seats }, admin);
    expect(added.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
    const group = await httpGraphQL(
      app.url,
      UpsertSeatGroup,
      { input: { name: 'fleet', selector: 'ring=fleet' } },
      admin,
    );
    expect(group.data?.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
    const bytes = await buildSegmentZip({ name: 'fleet-app', version: '1.0.0' }, { payload: 'v1' });
    const uploaded = await uploadSegment(app.url, { bytes, fileName: 'fleet-app-1.0.0.zip' }, admin);
    if (uploaded.__typename !== 'UploadSegmentSuccess') throw new Error(JSON.stringify(uploaded));
    await waitFor(
      async () => {
        const read = await httpGraphQL(app.url, GetSegment, { id: uploaded.segment.id }, admin);
        return read.data?.segment?.sync.status === 'SYNCED';
      },
      { message: 'fleet-app 1.0.0 to be synced' },
    );
    [browserA, browserB] = await Promise.all([launchChromium(), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
    await app?.stop();
    await removeTokens?.();
  });

  /** A page of `browser`, at `hash`, signed in with `token` through the token field. */
  async function signedIn(browser: TestBrowser, token: string, hash: string, errors: string[]) {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.base}/${hash}`);
    await page.getByText('API token').click();
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByRole('status', { name: 'Live updates' }).getByText('Live').waitFor();
    return page;
  }

  const stateOf = (page: Page, state: string) =>
    page.getByTestId('rollout-state').getByText(state, { exact: true }).waitFor();

  it('creates a three-wave rollout from its preview, is approved by another operator, follows live and rolls back', async () => {
    const errors: string[] = [];
    const a = await signedIn(browserA, TOKENS.a, '#/rollouts', errors);
    await a.getByText('New rollout').click();
    const form = a.getByRole('form', { name: 'Create a rollout' });
    await form.getByLabel('Segment version').selectOption({ label: 'fleet-app 1.0.0' });
    await form.getByLabel('Group').selectOption({ label: 'fleet (6 seats)' });
    await form.getByRole('button', { name: 'Add wave' }).click();
    await form.getByRole('button', { name: 'Add wave' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    const sizes = preview.getByRole('list', { name: 'Seats per wave' });

    // Wave 2 of 5 seats leaves nothing for wave 3: the preview shows seghub's refusal instead.
    await form.getByLabel('Wave 2 size').fill('5');
    await preview
      .getByRole('alert')
      .getByText(/INVALID_INPUT: .*empty/)
      .waitFor();
    await form.getByLabel('Wave 2 size').fill('50');
    await form.getByLabel('Wave 2 unit').selectOption('percent');
    await form.getByLabel('Wave 2 requires approval').check();
    await sizes.getByText('Wave 2: 3 seats').waitFor();
    expect(await sizes.getByRole('listitem').allTextContents()).toEqual([
      'Wave 1: 1 seat',
      'Wave 2: 3 seats',
      'Wave 3: 2 seats',
    ]);
    await form.getByRole('button', { name: 'Create rollout' }).click();

    // The first wave runs; the second waits for an approval.
    await a.waitForURL(/#\/rollouts\/.+/);
    await stateOf(a, 'WAITING_APPROVAL');
    const rolloutUrl = a.url();
    const seatRows = a.getByRole('table', { name: 'Rollout seats' }).getByRole('row');
    const seatRow = (name: string) =>
      seatRows.filter({ has: a.getByRole('rowheader', { name, exact: true }) });
    // The canary (the first seat by name) has succeeded; the second wave's seats have not started.
    await seatRow('fleet-0').getByText('SUCCEEDED', { exact: true }).waitFor();
    const waveTwoSeat = seatRow('fleet-1');
    expect(await waveTwoSeat.getByRole('cell').allTextContents()).toEqual([
      '2',
      'PENDING',
      '0',
      'nothing',
      '',
    ]);
    // Nothing below may reload the page: this mark would be gone.
    await a.evaluate(() => Object.assign(window, { sameDocument: true }));

    // The creator may not approve its own rollout: the result union's error is shown.
    const actionsA = a.getByRole('form', { name: 'Rollout actions' });
    await actionsA.getByRole('button', { name: 'Approve' }).click();
    await actionsA
      .getByRole('alert')
      .getByText(/Another operator .* must approve it/)
      .waitFor();

    // Operator B approves in another browser.
    const b = await signedIn(browserB, TOKENS.b, new URL(rolloutUrl).hash, errors);
    await stateOf(b, 'WAITING_APPROVAL');
    const actionsB = b.getByRole('form', { name: 'Rollout actions' });
    await actionsB.getByLabel('Reason or note').fill('canary looks fine');
    await actionsB.getByRole('button', { name: 'Approve' }).click();
    await actionsB.getByText('Approved.').waitFor();

    // A's view follows without a reload: the seat of wave 2 succeeds, the approval is listed.
    await waveTwoSeat.getByText('SUCCEEDED', { exact: true }).waitFor();
    await a.getByRole('list', { name: 'Approvals' }).getByText('operator-b').waitFor();
    await stateOf(a, 'SUCCEEDED');
    await a.getByRole('list', { name: 'Timeline' }).getByText('canary looks fine').waitFor();
    expect(await a.evaluate(() => 'sameDocument' in window)).toBe(true);

    // A rolls it back; the view follows to ROLLED_BACK and every seat is back.
    expect(await actionsA.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await actionsA.getByLabel('Reason or note').fill('v1 misbehaves');
    await actionsA.getByRole('button', { name: 'Roll back' }).click();
    await stateOf(a, 'ROLLED_BACK');
    await waitFor(async () => (await seatRows.filter({ hasText: 'ROLLED_BACK' }).count()) === 6, {
      message: 'all six seats to show ROLLED_BACK',
    });
    expect(await a.evaluate(() => 'sameDocument' in window)).toBe(true);

    // The group's page lists its rollouts and links to this one.
    await a.getByRole('link', { name: 'Groups' }).click();
    await a.getByRole('table', { name: 'Groups' }).getByRole('button', { name: 'fleet' }).click();
    const history = a.getByRole('table', { name: 'Rollouts of fleet' });
    await history
      .getByRole('row', { name: /fleet-app 1\.0\.0/ })
      .getByText('ROLLED_BACK')
      .waitFor();
    await history.getByRole('link', { name: 'fleet-app 1.0.0' }).click();
    await stateOf(a, 'ROLLED_BACK');
    expect(a.url()).toBe(rolloutUrl);
    // So does the list of every rollout, in the navigation.
    await a.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Rollouts' }).click();
    await a
      .getByRole('table', { name: 'Rollouts', exact: true })
      .getByRole('row', { name: /fleet-app 1\.0\.0/ })
      .getByText('ROLLED_BACK')
      .waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
