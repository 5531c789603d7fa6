import { describe, expect, it } from '@jest/globals';
import type { Claim } from '../storage/precompute-store.interface';
import { underClaim } from './claimed';

/** A store's claim side: hands out claims for keys nobody holds, and records releases. */
class Claims {
  readonly held = new Set<string>();
  readonly released: string[] = [];
  async claim(key: string): Promise<Claim | undefined> {
    if (this.held.has(key)) return undefined;
    this.held.add(key);
    return {
      release: async () => {
        this.held.delete(key);
        this.released.push(key);
      },
    };
  }
}

describe('underClaim (the claim protocol for one key)', () => {
  it('claims, re-checks, computes and releases', async () => {
    const claims = new Claims();
    const order: string[] = [];
    const result = await underClaim(
      claims,
      'k',
      () => (order.push(`check (held: ${claims.held.has('k')})`), true),
      async () => (order.push(`compute (held: ${claims.held.has('k')})`), 42),
    );
    expect(result).toEqual({ state: 'computed', result: 42 });
    expect(order).toEqual(['check (held: true)', 'compute (held: true)']);
    expect(claims.released).toEqual(['k']);
  });

  it('defers a key another process holds, without computing', async () => {
    const claims = new Claims();
    claims.held.add('k');
    let computed = false;
    const result = await underClaim(claims, 'k', () => true, async () => (computed = true));
    expect(result).toEqual({ state: 'deferred' });
    expect(computed).toBe(false);
  });

  it('does not compute what is no longer needed once claimed, and still releases', async () => {
    const claims = new Claims();
    let computed = false;
    const result = await underClaim(claims, 'k', () => false, async () => (computed = true));
    expect(result).toEqual({ state: 'done elsewhere' });
    expect(computed).toBe(false);
    expect(claims.released).toEqual(['k']);
  });

  it('releases the claim when computing fails', async () => {
    const claims = new Claims();
    await expect(
      underClaim(claims, 'k', () => true, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(claims.released).toEqual(['k']);
    expect(claims.held.size).toBe(0);
  });
});
