import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, NotFoundException, Query, type INestApplication } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService, type PrecomputeModuleOptions } from '../lib';
import { CallLog } from './helpers/call-log';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const calls = new CallLog();
const limitedCalls = new CallLog();
const N = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
/** Lets a test decide when handler calls finish: each call waits for `release()`. */
let gate: { promise: Promise<void>; release: () => void };
function closeGate() {
  let release!: () => void;
  gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
}
/** Combination → how many more times it fails before it succeeds. */
const failures = new Map<string, number>();
let hang = new Set<string>();

@Controller('work')
class WorkController {
  @Get()
  @Precomputed({ params: { n: N } })
  async get(@Query('n') n: string) {
    return calls.track(`work ${n}`, async () => {
      await gate.promise;
      // Like real I/O, give the other calls a turn
      await new Promise((resolve) => setImmediate(resolve));
      const left = failures.get(n) ?? 0;
      if (left > 0) {
        failures.set(n, left - 1);
        throw new Error(`boom ${n}`);
      }
      if (hang.has(n)) await new Promise(() => undefined);
      return { n: Number(n) };
    });
  }

  @Get('limited')
  @Precomputed({ params: { n: N }, concurrency: 2 })
  async limited(@Query('n') n: string) {
    calls.record(`limited ${n}`);
    return limitedCalls.track(n, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { n };
    });
  }

  @Get('missing')
  @Precomputed({ params: { n: ['1', '2'] } })
  missing(@Query('n') n: string) {
    calls.record(`missing ${n}`);
    if (n === '2') throw new NotFoundException(`no data for ${n}`);
    return { n };
  }
}

describe('the precompute engine', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  const start = async (options: Omit<PrecomputeModuleOptions, 'cacheFile'> = {}, logger = new MemoryLogger()) => {
    // This suite's NotFoundException stands for a failure: 4xx answers (cacheClientErrors) have a suite of their own
    app = await createTestApp({ precompute: { cacheFile: dir.file('cache.json'), cacheClientErrors: false, ...options }, controllers: [WorkController], logger });
    return { app, logger };
  };
  beforeEach(() => {
    dir = tempDir();
    calls.reset();
    limitedCalls.reset();
    failures.clear();
    hang = new Set();
    closeGate();
    gate.release();
  });
  afterEach(async () => {
    gate.release();
    await app?.close();
    app = undefined;
    dir.cleanup();
  });

  it('reaches and never exceeds the concurrency limit, global and per handler', async () => {
    await start({ concurrency: 5 });
    // `work` ran with the global limit, `limited` with its own; handlers run one after another
    expect(calls.count()).toBe(12 + 12 + 2);
    expect(calls.peak).toBe(5);
    expect(limitedCalls.count()).toBe(12);
    expect(limitedCalls.peak).toBe(2);
  });

  it('holds concurrency while calls are pending, measured with a gate rather than timing', async () => {
    closeGate();
    const starting = start({ concurrency: 3 });
    // With the gate closed, exactly three calls start and wait
    while (calls.count() < 3) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.count()).toBe(3);
    gate.release();
    await starting;
    expect(calls.peak).toBe(3);
  });

  it('a failing combination is logged, not cached, the others carry on, and the next start retries it', async () => {
    failures.set('3', 1);
    const { app: first, logger } = await start();
    const summary = await first.get(PrecomputeService).whenReady();
    expect(summary).toMatchObject({ computed: 24, failed: 2 });
    expect(summary.failures.map((failure) => failure.key)).toEqual(['GET /work?n=3', 'GET /work/missing?n=2']);
    expect(summary.failures[0].error).toBe('Error: boom 3');
    expect(logger.lines.join('\n')).toContain('WorkController.get failed for GET /work?n=3: Error: boom 3');
    expect(first.get(PrecomputeService).get(WorkController, 'get', { n: 3 })).toBeUndefined();
    await first.close();
    calls.reset();
    const { app: second } = await start();
    expect(calls.all()).toEqual(['work 3', 'missing 2']);
    expect(second.get(PrecomputeService).get(WorkController, 'get', { n: 3 })).toEqual({ n: 3 });
  });

  it('an HttpException is never persisted as a value; live requests run the handler', async () => {
    const { app: running } = await start();
    expect(running.get(PrecomputeService).get(WorkController, 'missing', { n: 2 })).toBeUndefined();
    await running.close();
    app = undefined;
    expect(readFileSync(dir.file('cache.json'), 'utf8')).not.toContain('no data for 2');
    calls.reset();
    const { app: again } = await start();
    expect(calls.all()).toEqual(['missing 2']);
    await request(again.getHttpServer()).get('/work/missing?n=2').expect(404);
    expect(calls.all()).toEqual(['missing 2', 'missing 2']);
  });

  it('retries with backoff', async () => {
    failures.set('5', 2);
    const { app: running, logger } = await start({ retries: 2, retryDelayMs: 1 });
    const summary = await running.get(PrecomputeService).whenReady();
    expect(summary.failures.map((failure) => failure.key)).toEqual(['GET /work/missing?n=2']);
    expect(calls.count('work 5')).toBe(3);
    expect(logger.lines.filter((line) => line.includes('GET /work?n=5') && line.includes('retry')).length).toBe(2);
  });

  it('gives up on a combination after timeoutMs', async () => {
    hang = new Set(['7']);
    const { app: running } = await start({ timeoutMs: 50 });
    const summary = await running.get(PrecomputeService).whenReady();
    expect(summary.failures[0]).toEqual({ key: 'GET /work?n=7', error: 'Error: timed out after 50ms' });
  });

  it('failOnError makes startup fail after the run', async () => {
    failures.set('1', 1);
    await expect(start({ failOnError: true })).rejects.toThrow(/2 combinations failed and failOnError is set:\n  GET \/work\?n=1: Error: boom 1/);
    // What succeeded was kept
    expect(existsSync(dir.file('cache.json'))).toBe(true);
  });

  it("background mode listens at once; a live miss runs once for 50 concurrent requests and is stored", async () => {
    closeGate();
    const { app: running } = await start({ startup: 'background', concurrency: 1 });
    const server = running.getHttpServer();
    // The engine is blocked on its first call (n=1); ask for n=12, not computed yet
    const responses = Promise.all(Array.from({ length: 50 }, () => request(server).get('/work?n=12')));
    while (calls.count('work 12') < 1) await new Promise((resolve) => setImmediate(resolve));
    gate.release();
    for (const res of await responses) expect(res.body).toEqual({ n: 12 });
    await running.get(PrecomputeService).whenReady();
    expect(calls.count('work 12')).toBe(1);
    expect(calls.count('work 1')).toBe(1);
    expect(calls.count()).toBe(12 + 12 + 2);
  });

  it('status() reports per handler figures', async () => {
    failures.set('2', 1);
    const { app: running } = await start();
    const status = running.get(PrecomputeService).status();
    // The counts; the observations added by status() are tested in metrics, terminus and status-page suites
    expect(status).toMatchObject([
      { handler: 'WorkController.get', route: 'GET /work', total: 12, cached: 11, computed: 11, failed: 1, inProgress: 0 },
      { handler: 'WorkController.limited', route: 'GET /work/limited', total: 12, cached: 12, computed: 12, failed: 0, inProgress: 0 },
      { handler: 'WorkController.missing', route: 'GET /work/missing', total: 2, cached: 1, computed: 1, failed: 1, inProgress: 0 },
    ]);
  });

  it('logs totals, progress and a summary per handler', async () => {
    const { logger } = await start({ progressIntervalMs: 0 });
    const lines = logger.precompute().join('\n');
    expect(lines).toContain('WorkController.get: 12 combinations, 0 cached, 12 to compute (concurrency 4)');
    expect(lines).toMatch(/WorkController.get: \d+\/12 \(\d+%\), [\d.]+\/s, about .+ left/);
    expect(lines).toMatch(/WorkController.get: computed 12, failed 0 in \d+/);
  });
});
