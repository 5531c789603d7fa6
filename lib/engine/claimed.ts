import type { PrecomputeStore } from '../storage/precompute-store.interface';

/** How a claimed computation ended. */
export type ClaimResult<T> =
  | { readonly state: 'deferred' }
  | { readonly state: 'done elsewhere' }
  | { readonly state: 'computed'; readonly result: T };

/**
 * The store's coordination protocol for one key: claim it; undefined means
 * another process holds it (ask again later); with the claim, re-check what
 * the store holds now (`stillNeeded`, after the claim picked up what others
 * stored), compute, and release the claim whatever happened.
 */
export async function underClaim<T>(
  store: Pick<PrecomputeStore, 'claim'>,
  key: string,
  stillNeeded: () => boolean,
  compute: () => Promise<T>,
): Promise<ClaimResult<T>> {
  const claim = await store.claim(key);
  if (!claim) return { state: 'deferred' };
  try {
    if (!stillNeeded()) return { state: 'done elsewhere' };
    return { state: 'computed', result: await compute() };
  } finally {
    await claim.release();
  }
}

/** Waits between two asks for keys other processes hold. */
export const DEFERRED_RETRY_MS = 200;
