import { afterAll, describe, expect, it } from '@jest/globals';
import { readCalls, startChild, type Child } from './helpers/child-process';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir();
let redis: RedisServer | undefined;
const children: Child[] = [];

afterAll(async () => {
  for (const child of children) child.process.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
  await redis?.stop();
  dir.cleanup();
});

/** A cron expression (UTC, with seconds) firing once, at `at`. */
function onceAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

const GRID = ['a1/b1', 'a1/b2', 'a2/b1', 'a2/b2', 'a3/b1', 'a3/b2'];

describe.each(['file', 'redis'] as const)('a refreshCron across two real processes (%s)', (kind) => {
  it('fires in both and computes each combination once across them', async () => {
    if (kind === 'redis') redis ??= await startRedis();
    const at = new Date(Math.ceil((Date.now() + 12_000) / 1000) * 1000);
    const env = {
      ...(kind === 'redis' ? { STORE: 'redis', REDIS_URL: redis?.url ?? '', REDIS_PREFIX: 'cron-processes' } : { CACHE_FILE: dir.file('shared.json') }),
      A_VALUES: 'a1,a2,a3',
      B_VALUES: 'b1,b2',
      DELAY_MS: '20-40',
      CONCURRENCY: '2',
      REFRESH_CRON: onceAt(at),
      REFRESH_TZ: 'UTC',
    };
    const pair = ['1', '2'].map((n) => startChild({ ...env, CALLS_FILE: dir.file(`${kind}-calls-${n}`) }));
    children.push(...pair);
    await Promise.all(pair.map((child) => child.listening()));
    const starts = () => pair.flatMap((child, i) => readCalls(dir.file(`${kind}-calls-${i + 1}`)).starts);
    expect(starts().sort()).toEqual(GRID);
    // Each child logs the schedule's run, whether it computed or found the work done by the other
    await Promise.all(
      pair.map((child, i) =>
        child.waitForLine((line) => line.includes('Refreshed 6 combinations (refreshCron'), `child ${i + 1} to log its scheduled refresh due at ${at.toISOString()}`),
      ),
    );
    expect(starts().sort()).toEqual([...GRID, ...GRID].sort());
    expect(at.getTime()).toBeLessThan(Date.now());
  });
});
