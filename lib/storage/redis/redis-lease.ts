import type { Redis } from 'ioredis';

export const RENEW_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
export const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A lease this replica holds on one combination: renewed while held, so a
 * long computation keeps it; it lapses `leaseMs` after the replica dies.
 * Renew and release only touch the lease while it is still this replica's.
 */
export function holdLease(client: Redis, leaseKey: string, owner: string, leaseMs: number): { release(): Promise<void> } {
  const renew = setInterval(() => {
    void client.eval(RENEW_SCRIPT, 1, leaseKey, owner, String(leaseMs)).catch(() => undefined);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  renew.unref();
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      await client.eval(RELEASE_SCRIPT, 1, leaseKey, owner).catch(() => undefined);
    },
  };
}
