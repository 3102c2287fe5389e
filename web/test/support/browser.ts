// Headless Chromium (Debian's package) driven by playwright-core: `npx playwright install` cannot download
// browsers here, and the system one is what CI machines get from apt.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { RESULTS } from './stack';

const CHROMIUM = process.env.VAD_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: run \`bash scripts/setup.sh --test\` (apt package chromium) or set VAD_CHROMIUM`,
    );
  }
  // Playwright gives each launch a new empty profile (--user-data-dir) of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const SCREENSHOTS = path.join(RESULTS, 'screenshots');

/** Saves a full-page screenshot as web/test-results/screenshots/<name>.png (a test artifact). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
