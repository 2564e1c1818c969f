import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddSeat } from '../support/documents/security-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { bearer, writeTokenFile } from '../support/harness/auth.js';
import { chromiumSuitePolicy, launchChromium, type TestBrowser } from '../support/harness/browser.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';

const policy = chromiumSuitePolicy();

/** The dashboard against a seghub that enforces authentication: the operator pastes a token. */
describe.runIf(policy.run || policy.missingInCi)('the dashboard with authentication', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: TestBrowser;
  let tokens: Awaited<ReturnType<typeof writeTokenFile>>['tokens'];
  let remove: () => Promise<void>;

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but chromium is not installed (apt-get install chromium)');
    const data = await tempDir('seghub-dashboard-auth');
    remove = data.remove;
    const file = await writeTokenFile(data.dir);
    tokens = file.tokens;
    app = await startTestApp(testConfig({ DATA_DIR: data.dir, AUTH_TOKENS_FILE: file.file }));
    const added = await httpGraphQL(
      app.url,
      AddSeat,
      { seats: [{ name: 'guarded-console', ip: '10.30.0.1' }] },
      bearer(tokens.admin),
    );
    expect(added.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await remove?.();
  });

  it('shows nothing without a token, and everything (live) once one is given', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.base}/#/seats`);
    // Refused: the page says why, and shows no seat.
    await page
      .getByRole('alert')
      .getByText(/not authenticated/)
      .waitFor();
    expect(await page.getByText('guarded-console').count()).toBe(0);
    await page.getByText('API token').click();
    await page.getByLabel('API token').fill(tokens.viewer);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByText('guarded-console').waitFor();
    await page.getByRole('status', { name: 'Live updates' }).getByText('Live').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('seghub.token'))).toBe(tokens.viewer);
  }, 60_000);
});
