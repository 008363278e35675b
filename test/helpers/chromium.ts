import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt package `chromium`); `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. `npm test` installs Chromium first where it can (scripts/ensure-chromium.sh);
 * where it cannot (no root, no apt), browser tests are skipped locally but fail under CI, so CI never passes
 * without them.
 */
export const hasChromium = existsSync(chromiumPath) || process.env.CI === 'true';

/**
 * Headless Chromium as the machine allows it: no sandbox (tests run as root), and no background networking,
 * whose connections this machine's closed network refuses by the dozen.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
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
