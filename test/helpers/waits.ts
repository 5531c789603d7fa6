/**
 * Under jest's 60 s, so a failed wait says what it waited for instead of a bare
 * jest timeout; generous, because eight test runs may share two cores.
 */
export const DEFAULT_WAIT_MS = 40_000;

/** The last lines seen, for the message of a wait that failed. */
export function lastLines(lines: readonly string[], count = 15): string {
  return lines.slice(-count).map((line) => `  | ${line}`).join('\n') || '  (no lines)';
}

/** Polls `check` every `intervalMs` until it returns a value; rejects after `timeoutMs` saying what it waited for. */
export async function waitUntil<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = DEFAULT_WAIT_MS, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
