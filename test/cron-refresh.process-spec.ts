import { afterAll, describe, expect, it } from '@jest/globals';
import { startChild, type Child } from './helpers/child-process';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';
import { lastLines, waitUntil } from './helpers/waits';

const dir = tempDir();
let redis: RedisServer | undefined;
const children: Child[] = [];

afterAll(async () => {
  for (const child of children) child.process.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
  await redis?.stop();
  dir.cleanup();
});

/** Per run (its due time), what one child computed of it: from "Refreshed 6 combinations (refreshCron ..., due <iso>): computed N". */
function runsOf(child: Child): Map<string, number> {
  const runs = new Map<string, number>();
  for (const line of child.lines) {
    const match = /\(refreshCron [^)]*, due ([^)]+)\): computed (\d+)/.exec(line);
    if (match) runs.set(match[1], Number(match[2]));
  }
  return runs;
}

describe.each(['file', 'redis'] as const)('a refreshCron across two real processes (%s)', (kind) => {
  it('each run, fired by both at the same due time, computes each combination once across them', async () => {
    if (kind === 'redis') redis ??= await startRedis();
    const env = {
      ...(kind === 'redis' ? { STORE: 'redis', REDIS_URL: redis?.url ?? '', REDIS_PREFIX: 'cron-processes' } : { CACHE_FILE: dir.file('shared.json') }),
      A_VALUES: 'a1,a2,a3',
      B_VALUES: 'b1,b2',
      DELAY_MS: '5-10',
      CONCURRENCY: '2',
      // Every 2 seconds: however slowly the two start, they soon share runs
      REFRESH_CRON: '*/2 * * * * *',
      REFRESH_TZ: 'UTC',
    };
    const pair = ['1', '2'].map((n) => startChild({ ...env, CALLS_FILE: dir.file(`${kind}-calls-${n}`) }));
    children.push(...pair);
    await Promise.all(pair.map((child) => child.listening()));
    // Runs both processes finished (each logs its run, whether it computed or found the work done)
    const shared = () => {
      const [one, two] = pair.map(runsOf);
      const both = [...one.keys()].filter((due) => two.has(due));
      return both.length >= 2 ? both.map((due) => [due, (one.get(due) ?? 0) + (two.get(due) ?? 0)] as const) : undefined;
    };
    const runs = await waitUntil(
      shared,
      `two scheduled runs logged by both processes; last lines:\n${pair.map((child) => lastLines(child.lines, 6)).join('\n')}`,
      45_000,
    );
    for (const [due, computed] of runs) expect([due, computed]).toEqual([due, 6]);
  });
});
