import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { startChild, type Child } from './helpers/child-process';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

/**
 * Issue 13, "once per fleet": two processes share a store and a TTL; each stale
 * entry must be recomputed once per refresh cycle across both (0.1.0 had each
 * process refresh every stale entry: twice the backend load). Two refreshes of
 * one key less than a TTL apart mean two processes computed the same cycle.
 */
const TTL_MS = 2000;
const KEYS = Array.from({ length: 10 }, (_, i) => `a${i + 1}/b1`);
const dir = tempDir('precompute-fleet-ttl-');
let redis: RedisServer | undefined;

afterAll(async () => {
  await redis?.stop();
  dir.cleanup();
});

/** Start times of each key's handler calls, from every process's calls file. */
function startsByKey(files: readonly string[]): Map<string, number[]> {
  const starts = new Map<string, number[]>(KEYS.map((key) => [key, []]));
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [tag, at, key] = line.split(' ');
      if (tag === 'at') starts.get(key)?.push(Number(at));
    }
  }
  for (const times of starts.values()) times.sort((a, b) => a - b);
  return starts;
}

describe.each(['file', 'redis'] as const)('two processes on one %s store, TTL 2 s, 10 entries', (store) => {
  it('refresh each stale entry once per cycle between them', async () => {
    const env: Record<string, string> = {
      A_VALUES: KEYS.map((key) => key.split('/')[0]).join(','),
      B_VALUES: 'b1',
      TTL_SECONDS: String(TTL_MS / 1000),
      // Slow enough that the other process sweeps while a refresh is under way
      DELAY_MS: '300-400',
    };
    if (store === 'file') env.CACHE_FILE = dir.file('fleet-ttl.json');
    else {
      redis ??= await startRedis();
      Object.assign(env, { STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: 'fleet-ttl' });
    }
    const files = [dir.file(`${store}-calls-1`), dir.file(`${store}-calls-2`)];
    const children: Child[] = [];
    try {
      children.push(startChild({ ...env, CALLS_FILE: files[0] }));
      await children[0].listening();
      children.push(startChild({ ...env, CALLS_FILE: files[1] }));
      await children[1].listening();
      // Every key computed once at startup, then refreshed in at least two more cycles
      const starts = await waitUntil(
        () => {
          const byKey = startsByKey(files);
          return [...byKey.values()].every((times) => times.length >= 3) ? byKey : undefined;
        },
        'three computations of each of the 10 keys across both processes',
        40_000,
      );
      for (const [key, times] of starts) {
        const gaps = times.slice(1).map((time, i) => time - times[i]);
        // A refresh starts once the entry is older than the TTL: never twice in one cycle
        expect({ key, gaps, atLeastATtlApart: Math.min(...gaps) >= TTL_MS - 100 }).toEqual({ key, gaps, atLeastATtlApart: true });
      }
      // Both processes did part of the work or one did it all, but never the same cycle twice
      const total = [...starts.values()].reduce((sum, times) => sum + times.length, 0);
      expect(total).toBeGreaterThanOrEqual(30);
    } finally {
      for (const child of children) child.process.kill('SIGTERM');
      await Promise.all(children.map((child) => child.exited));
    }
  });
});
