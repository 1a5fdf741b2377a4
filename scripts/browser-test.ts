// Headless Chromium for the end-to-end tests (repository-only): Debian's `chromium` (installed by .ci/run) driven
// by playwright-core, never a downloaded browser. Without it on a developer's machine the browser tests are skipped;
// in CI (CI=true) they must run.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests run here. */
export const runBrowserTests = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Launches Chromium headless, sandbox and GPU off, with no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
