/**
 * Headless Chromium for browser tests, via playwright-core and the system Chromium
 * (no browser download). Set CHROMIUM_PATH to use another binary.
 */
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags for a quiet, sandbox-free run in containers and CI: no GPU, no network chatter at start.
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

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

/** True when the Chromium binary exists and is executable. */
export const chromiumAvailable = (): boolean => {
  try {
    accessSync(chromiumPath(), constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Raised in CI when Chromium is missing: a browser test must never pass there by being skipped. */
export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/**
 * For `describe.skipIf(skipWithoutChromium())(...)`. On a developer machine without Chromium it
 * returns true and says why; with CI=true it throws, failing the test file instead.
 */
export const skipWithoutChromium = (): boolean => {
  if (chromiumAvailable()) return false;
  const why = `Chromium not found at ${chromiumPath()} (install it or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    throw new ChromiumMissingError(`${why}. CI must run browser tests, not skip them.`);
  }
  console.warn(`Skipping browser tests: ${why}.`);
  return true;
};
