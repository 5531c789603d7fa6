import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`; `.ci/run` installs it when missing), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (as .ci/run does), or set CHROMIUM_PATH`);
  }
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Where tests leave files for people to look at (screenshots): `.build/test-output/`. */
export function testOutput(name: string): string {
  const dir = resolve('.build', 'test-output');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Resolves once `check` returns a value other than undefined; fails with `what` and the last value seen. */
export async function eventually<T>(check: () => T | undefined, what: string, describeLast: () => string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}; last seen: ${describeLast()}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
