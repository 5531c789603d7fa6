import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { gridCombinations, httpGet as get, readCalls, startChild } from './helpers/child-process';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

const ALL = gridCombinations();
const CONCURRENCY = 4;
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterAll(() => dirs.forEach((dir) => dir.cleanup()));

function newDir() {
  const dir = tempDir('precompute-process-');
  dirs.push(dir);
  return dir;
}

/** Starts the child, kills it with SIGKILL after `endsBeforeKill` finished calls, restarts it. */
async function killAndResume(endsBeforeKill: number) {
  const dir = newDir();
  const env = { CACHE_FILE: dir.file('cache.json'), DELAY_MS: '1-6', CONCURRENCY: String(CONCURRENCY) };
  const first = startChild({ ...env, CALLS_FILE: dir.file('calls-1') });
  if (endsBeforeKill === 0) await first.waitForLine((line) => line.startsWith('END '));
  else await first.waitForLine(() => first.lines.filter((line) => line.startsWith('END ')).length >= endsBeforeKill);
  first.process.kill('SIGKILL');
  await first.exited;

  // The file, if there is one, always parses
  if (existsSync(env.CACHE_FILE)) expect(() => JSON.parse(readFileSync(env.CACHE_FILE, 'utf8'))).not.toThrow();
  const before = readCalls(dir.file('calls-1'));

  const second = startChild({ ...env, CALLS_FILE: dir.file('calls-2') });
  const port = await second.listening();
  const after = readCalls(dir.file('calls-2'));
  for (const combination of ALL) {
    const [a, b] = combination.split('/');
    const res = await get(port, `/grid?b=${b}&a=${a}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ a, b });
  }
  second.process.kill('SIGKILL');
  await second.exited;
  return { before, after, served: readCalls(dir.file('calls-2')) };
}

describe('SIGKILL at random points of a precompute', () => {
  // 20 trials: kill after 0..40 finished calls, spread over the run, the last ones during compaction
  const points = Array.from({ length: 20 }, (_, i) => Math.min(ALL.length, Math.round((i * ALL.length) / 19)));

  it.concurrent.each(points)('killed after %i finished calls: restart recomputes at most the in-flight ones', async (point) => {
    const { before, after, served } = await killAndResume(point);
    const finished = new Set(before.ends);
    const recomputed = after.starts.filter((combination) => finished.has(combination));
    // Finished but not yet persisted when the process died: at most one per concurrent slot
    expect(recomputed.length).toBeLessThanOrEqual(CONCURRENCY);
    // Nothing is computed twice, and everything is there after the restart
    expect(new Set(after.starts).size).toBe(after.starts.length);
    expect(new Set([...before.ends, ...after.ends])).toEqual(new Set(ALL));
    // Serving called no handler
    expect(served.starts).toEqual(after.starts);
  });
});

describe('several processes on one cache file', () => {
  it('three processes starting together compute each combination once, and all serve all', async () => {
    const dir = newDir();
    const env = { CACHE_FILE: dir.file('cache.json'), DELAY_MS: '5-15', CONCURRENCY: '3' };
    const children = [1, 2, 3].map((n) => startChild({ ...env, CALLS_FILE: dir.file(`calls-${n}`) }));
    const ports = await Promise.all(children.map((child) => child.listening()));
    const starts = [1, 2, 3].flatMap((n) => readCalls(dir.file(`calls-${n}`)).starts);
    expect(starts.sort()).toEqual([...ALL].sort());
    for (const port of ports) {
      for (const combination of ALL) {
        const [a, b] = combination.split('/');
        expect((await get(port, `/grid?a=${a}&b=${b}`)).status).toBe(200);
      }
    }
    const afterServing = [1, 2, 3].flatMap((n) => readCalls(dir.file(`calls-${n}`)).starts);
    expect(afterServing).toHaveLength(ALL.length);
    children.forEach((child) => child.process.kill('SIGTERM'));
    await Promise.all(children.map((child) => child.exited));
    expect(Object.keys(JSON.parse(readFileSync(env.CACHE_FILE, 'utf8')).entries)).toHaveLength(ALL.length);
  });
});

describe('SIGTERM during a precompute', () => {
  it('lets the handlers under way finish and stores their results before the store closes', async () => {
    const dir = newDir();
    const env = { CACHE_FILE: dir.file('cache.json'), CONCURRENCY: '2' };
    const first = startChild({ ...env, CALLS_FILE: dir.file('calls-1'), DELAY_MS: '400-400' });
    // SIGTERM while two handlers run (their 400 ms have just begun)
    await waitUntil(() => (readCalls(dir.file('calls-1')).starts.length >= 4 ? true : undefined), 'the third and fourth handler calls to start', 20_000, 10);
    first.process.kill('SIGTERM');
    await first.exited;
    const before = readCalls(dir.file('calls-1'));
    expect(new Set(before.ends)).toEqual(new Set(before.starts));
    const second = startChild({ ...env, CALLS_FILE: dir.file('calls-2'), DELAY_MS: '1-2' });
    await second.listening();
    // Each started one was stored: none is computed again
    expect(readCalls(dir.file('calls-2')).starts.filter((combination) => before.starts.includes(combination))).toEqual([]);
    second.process.kill('SIGTERM');
    await second.exited;
  });

  it('stops starting work, keeps what finished, exits; the next start resumes', async () => {
    const dir = newDir();
    const env = { CACHE_FILE: dir.file('cache.json'), DELAY_MS: '100-100', CONCURRENCY: '2' };
    const first = startChild({ ...env, CALLS_FILE: dir.file('calls-1') });
    await first.waitForLine(() => first.lines.filter((line) => line.startsWith('END ')).length >= 6);
    first.process.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.signal ?? exit.code).toBeDefined();
    const before = readCalls(dir.file('calls-1'));
    // It stopped early: 40 calls at 100 ms, two at a time, would take 2 s
    expect(before.ends.length).toBeLessThan(ALL.length);

    const second = startChild({ ...env, CALLS_FILE: dir.file('calls-2'), DELAY_MS: '1-2' });
    await second.listening();
    const after = readCalls(dir.file('calls-2'));
    const finished = new Set(before.ends);
    expect(after.starts.filter((combination) => finished.has(combination))).toEqual([]);
    expect(new Set([...before.ends, ...after.ends])).toEqual(new Set(ALL));
    second.process.kill('SIGTERM');
    await second.exited;
  });
});
