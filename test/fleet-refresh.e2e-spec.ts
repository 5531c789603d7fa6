import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication, type Type } from '@nestjs/common';
import { Precomputed, PrecomputeService, RedisStore, type PrecomputeModuleOptions } from '../lib';
import { CallLog } from './helpers/call-log';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const calls = new CallLog();
let gate: { promise: Promise<void>; release: () => void };
function closeGate() {
  let release!: () => void;
  gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
}
const N = ['1', '2', '3', '4'];

@Controller('fleet')
class VersionOne {
  @Get()
  @Precomputed({ params: { n: N }, version: '1' })
  get(@Query('n') n: string) {
    return { n, version: 1 };
  }
}

@Controller('fleet')
class VersionTwo {
  @Get()
  @Precomputed({ params: { n: N }, version: '2' })
  get(@Query('n') n: string) {
    return calls.track(n, async () => {
      await gate.promise;
      return { n, version: 2 };
    });
  }
}

/** Waits for `condition`, failing with `what` if it does not hold within `timeoutMs`. */
async function until(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const dir = tempDir();
/** The stores processes can share, each as the module options of one process. */
const STORES: ReadonlyArray<[string, (redisUrl: string) => PrecomputeModuleOptions]> = [
  ['one JSON file', () => ({ cacheFile: dir.file('fleet.json') })],
  ['one Redis', (url) => ({ store: new RedisStore({ connection: url, prefix: 'fleet-refresh' }) })],
];

describe.each(STORES)('a refresh across processes sharing %s', (_name, options) => {
  let redis: RedisServer;
  const apps: INestApplication[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis.stop();
    dir.cleanup();
  });
  const start = async (controller: Type, logger: MemoryLogger | false = false) => {
    const app = await createTestApp({ precompute: options(redis.url), controllers: [controller], logger });
    apps.push(app);
    return app;
  };

  it('recomputes each stale entry once: the second process re-checks staleness once it holds the claim', async () => {
    calls.reset();
    const seed = await start(VersionOne);
    await seed.get(PrecomputeService).whenReady();
    await apps.pop()?.close();
    closeGate();
    // A finds the 4 entries outdated and starts refreshing them, held at the gate
    // Nest's Logger is process-wide: both processes' lines land in the logger of the last app created
    const logger = new MemoryLogger();
    await start(VersionTwo, logger);
    await until(() => calls.count() === 4, `4 refresh calls in A (saw ${calls.count()})`);
    // B finds them outdated too, but A holds their claims
    await start(VersionTwo, logger);
    gate.release();
    const logged = (text: string) =>
      until(() => logger.lines.some((line) => line.includes(text)), () => `"${text}"; last lines:\n${logger.lines.slice(-8).join('\n')}`);
    await logged('Refreshed 4 combinations (new version): computed 4');
    await logged('Refreshed 4 combinations (new version): computed 0');
    expect(calls.count()).toBe(4);
  });
});
