import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpsertLabelledSeats } from '../support/documents/seat-group-documents.js';
import { SetDesiredVersion } from '../support/documents/upgrade-documents.js';
import { syncedSegment } from '../support/fixtures/installs.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const policy = chromiumSuitePolicy();

/** Seat labels and groups in the dashboard, in headless Chromium, driven by what an operator sees. */
describe.runIf(policy.run || policy.missingInCi)('the dashboard: labels and groups', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: TestBrowser;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    const data = await tempDir('seghub-dashboard-groups');
    remove = data.remove;
    app = await startTestApp(testConfig({ DATA_DIR: data.dir }));
    const seats = Array.from({ length: 6 }, (_, i) => ({
      name: `bridge-${i}`,
      ip: `10.40.0.${i + 1}`,
      labels: [{ key: 'site', value: i < 4 ? 'north' : 'south' }],
    }));
    const added = await httpGraphQL(app.url, UpsertLabelledSeats, { seats });
    expect(added.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await remove?.();
  });

  it("labels seats by selector, creates a group and shows its members and each seat's groups", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.base}/#/seats`);
    const seats = page.getByRole('table', { name: 'Seats' });
    await seats
      .getByRole('row', { name: /bridge-5/ })
      .getByText('site=south')
      .waitFor();

    // Narrow the list to the northern seats and label them.
    await page.getByLabel('Label selector').fill('site=north,!ring');
    await page.getByText('4 seats').waitFor();
    expect(await seats.getByText('bridge-4').count()).toBe(0);
    await page.getByLabel('Set labels').fill('ring=canary');
    await page.getByRole('button', { name: 'Label matching seats' }).click();
    await page.getByText('Labelled 4 of 4 seats.').waitFor();
    // They no longer match `!ring`.
    await seats.getByText('No seat matches this selector.').waitFor();
    await page.getByLabel('Label selector').fill('');
    await seats
      .getByRole('row', { name: /bridge-0/ })
      .getByText('ring=canary, site=north')
      .waitFor();

    // A group of the canaries.
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByLabel('Group name').fill('canaries');
    await page.getByLabel('Selector').fill('ring=canary');
    await page.getByLabel(/Protected/).check();
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByText('Saved group canaries (4 seats).').waitFor();
    const groups = page.getByRole('table', { name: 'Groups' });
    const row = groups.getByRole('row', { name: /canaries/ });
    // The message can show before the list has refetched: wait for the row as it should read.
    const expected = ['canaries', 'ring=canary', '4', 'yes', ''];
    const cells = () => row.getByRole('cell').allTextContents();
    await waitFor(async () => JSON.stringify(await cells()) === JSON.stringify(expected), {
      message: 'the group row to show the new group',
    }).catch(() => {});
    expect(await cells()).toEqual(expected);
    await row.getByRole('button', { name: 'canaries' }).click();
    const members = page.getByRole('list', { name: 'Seats in canaries' });
    await members.getByText('bridge-3').waitFor();
    expect(await members.getByRole('listitem').count()).toBe(4);

    // Each seat lists the groups it is in.
    await page.getByRole('link', { name: 'Seats' }).click();
    await seats
      .getByRole('row', { name: /bridge-1/ })
      .getByRole('cell', { name: 'canaries' })
      .waitFor();
    expect(
      await seats
        .getByRole('row', { name: /bridge-5/ })
        .getByRole('cell', { name: 'canaries' })
        .count(),
    ).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it("picks an install's seats by group, and shows a protected group's refusal in words", async () => {
    await syncedSegment(app.url, 'sonar', '1.0.0');
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.base}/#/segments`);
    await page.getByRole('row').filter({ hasText: 'sonar' }).getByText('Synced').waitFor();
    await page.getByRole('button', { name: 'Open sonar 1.0.0' }).click();
    const panel = page.getByRole('region', { name: 'Segment details' });
    await panel.getByLabel('Group').selectOption('canaries');
    await panel.getByRole('button', { name: "Select the group's seats" }).click();
    await panel.getByText('4 seats added to the selection.').waitFor();
    await panel.getByText('4 selected · 4 to install · 0 to uninstall').waitFor();
    await panel.getByRole('button', { name: 'Start install' }).click();
    const alert = panel
      .getByRole('alert')
      .filter({ hasText: 'Seats of a protected group take only released segments' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('canaries');
  }, 90_000);

  it("shows a group's desired version with its drift, falling to 0 as converge installs it", async () => {
    const segment = await syncedSegment(app.url, 'sonar', '2.0.0');
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${app.base}/#/groups`);
    await page.getByLabel('Group name').fill('south');
    await page.getByLabel('Selector').fill('site=south');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByText('Saved group south (2 seats).').waitFor();
    const row = page.getByRole('table', { name: 'Groups' }).getByRole('row', { name: /^south/ });
    const desired = await httpGraphQL(app.url, SetDesiredVersion, { group: 'south', segmentId: segment.id });
    expect(desired.data?.setDesiredVersion.__typename).toBe('SetDesiredVersionSuccess');
    await row.getByText('sonar 2.0.0 · drift 0').waitFor();
  }, 90_000);
});
