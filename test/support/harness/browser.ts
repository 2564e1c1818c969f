import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`): no browser is ever downloaded by a test tool. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling home, and this machine's closed
// network refuses each attempt; headless as root needs --no-sandbox.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM_PATH, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Like etcd: browser suites are skipped when chromium is missing locally, but a CI run
 * (`CI=true`) without it is a broken CI image and must fail rather than silently test less.
 */
export function chromiumSuitePolicy(): { run: boolean; missingInCi: boolean } {
  const available = chromiumAvailable();
  return { run: available, missingInCi: !available && process.env.CI === 'true' };
}

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh, throwaway profile. */
export async function launchChromium(): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'seghub-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
