/** The delay before retry number `attempt + 1`: `baseMs`, then doubling each time, at most `maxMs`. */
export function backoffMs(baseMs: number, attempt: number, maxMs = Number.POSITIVE_INFINITY): number {
  return Math.min(baseMs * 2 ** attempt, maxMs);
}

export interface RetryPolicy {
  /** Attempts after the first failure. */
  readonly retries: number;
  /** Delay before the first retry; it doubles with each retry. */
  readonly delayMs: number;
  /** Stop retrying (e.g. shutting down): the last error is thrown at once. */
  readonly giveUp?: () => boolean;
  /** Told before each wait, with the retry number (1-based) and its delay. */
  readonly onRetry?: (error: unknown, retry: number, delayMs: number) => void;
  /** Waits `ms`; replaceable so the policy can be checked without a clock. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, at most `retries + 1` times, waiting a doubling delay between tries. */
export async function retry<T>(attempt: (index: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (index >= policy.retries || policy.giveUp?.()) throw error;
      const delay = backoffMs(policy.delayMs, index);
      policy.onRetry?.(error, index + 1, delay);
      await (policy.sleep ?? sleep)(delay);
    }
  }
}

/** Rejects with "timed out after N ms" when `promise` takes longer than `timeoutMs` (no limit when undefined). */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (!timeoutMs) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
