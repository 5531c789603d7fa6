/**
 * status() counts a handler's entries once and reuses the counts while the
 * store reports no change (health checks and gauges poll it; a pass over a
 * million entries took most of a second). Every kind of change must show on
 * the very next call: a refresh, an invalidation, a live answer, a hand edit
 * read by the watcher, and an entry turning stale with no change at all.
 */
import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService, RedisStore } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

let failing = false;

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ params: { region: ['EMEA', 'APAC', 'AMER'] } })
  get(@Query('region') region: string) {
    return { region };
  }
}

@Controller('short')
class ShortLivedController {
  @Get()
  @Precomputed({ params: { region: ['EMEA', 'APAC'] }, ttlSeconds: 1 })
  get(@Query('region') region: string) {
    if (failing) throw new Error('the warehouse is down');
    return { region };
  }
}

function counts(service: PrecomputeService, name: string) {
  const handler = service.status().find((status) => status.handler === name);
  if (!handler) throw new Error(`no handler ${name} in status()`);
  return { cached: handler.cached, stale: handler.stale };
}

describe('status() counts after every kind of change', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  afterEach(async () => {
    failing = false;
    await app?.close();
    app = undefined;
    dir.cleanup();
  });


  it('a refresh, an invalidation, a live answer and a hand edit show on the next call', async () => {
    dir = tempDir();
    const file = dir.file('cache.json');
    app = await createTestApp({ precompute: { cacheFile: file }, controllers: [ReportController], logger: new MemoryLogger() });
    const service = app.get(PrecomputeService);
    const report = () => counts(service, 'ReportController.get').cached;
    expect(report()).toBe(3);
    expect(report()).toBe(3);
    // A person removes an entry from the file (as the startup run left it): the watcher reads it, and the count follows
    const document = JSON.parse(readFileSync(file, 'utf8'));
    delete document.entries['GET /report?region=EMEA'];
    writeFileSync(`${file}.edit`, JSON.stringify(document, null, 2));
    renameSync(`${file}.edit`, file);
    await waitUntil(() => (report() === 2 ? true : undefined), 'the hand edit to be counted');
    await request(app.getHttpServer()).get('/report?region=EMEA').expect(200);
    await waitUntil(() => (report() === 3 ? true : undefined), 'the live answer to be counted');
    await service.invalidate({ params: { region: 'APAC' } });
    expect(report()).toBe(2);
    await service.invalidate();
    expect(report()).toBe(0);
    await service.refresh();
    expect(report()).toBe(3);
  });

  it('an entry past its TTL counts as stale with nothing stored since', async () => {
    dir = tempDir();
    app = await createTestApp({ precompute: { cacheFile: dir.file('cache.json') }, controllers: [ShortLivedController], logger: new MemoryLogger() });
    const service = app.get(PrecomputeService);
    // Refreshes fail from now on: the store keeps the old entries, unchanged
    failing = true;
    expect(counts(service, 'ShortLivedController.get')).toEqual({ cached: 2, stale: 0 });
    await waitUntil(() => (counts(service, 'ShortLivedController.get').stale === 2 ? true : undefined), 'both entries to count as stale', 10_000);
    expect(counts(service, 'ShortLivedController.get').cached).toBe(2);
  });
});

describe.each([
  ['every entry held', undefined],
  ['a bounded localCache that holds them all', { maxBytes: 1 << 20 }],
])("status() on a RedisStore replica counts another replica's changes (%s)", (_, localCache) => {
  let redis: RedisServer;
  const apps: INestApplication[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis.stop();
  });

  it('an invalidation and a refresh on one replica show in the counts of the other', async () => {
    const replica = async () => {
      const app = await createTestApp({
        precompute: { store: new RedisStore({ connection: redis.url, prefix: 'status-counts', ...(localCache ? { localCache } : {}) }) },
        controllers: [ReportController],
        logger: new MemoryLogger(),
      });
      apps.push(app);
      return app;
    };
    const first = (await replica()).get(PrecomputeService);
    const secondApp = await replica();
    const report = () => counts(secondApp.get(PrecomputeService), 'ReportController.get').cached;
    expect(report()).toBe(3);
    expect(report()).toBe(3);
    await first.invalidate({ params: { region: 'APAC' } });
    await waitUntil(() => (report() === 2 ? true : undefined), "the other replica's invalidation to be counted");
    await first.refresh({ params: { region: 'APAC' } });
    // A bounded replica re-reads only what it holds: it reads the entry when asked for it (and counts what it holds)
    if (localCache) await request(secondApp.getHttpServer()).get('/report?region=APAC').expect(200);
    await waitUntil(() => (report() === 3 ? true : undefined), "the other replica's refresh to be counted");
  });
});
