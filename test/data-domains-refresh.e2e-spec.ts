import 'reflect-metadata';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Param, ValidationPipe, type INestApplication, type Type } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { CronSchedule } from '../lib/freshness/cron-schedule';
import { calls, CmsWebhookController, StoreReportsController, StoresService, Subregion, WEBHOOK_SECRET } from './fixtures/data-domains.controllers';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

@Controller('nightly')
class NightlyController {
  @Get(':id')
  @Precomputed({ params: { id: ['1', '2'] }, refreshCron: '0 2 * * *', refreshTimeZone: 'Europe/Paris' })
  get(@Param('id') id: string) {
    return { id };
  }
}

@Controller('bad-cron')
class BadCronController {
  @Get()
  @Precomputed({ refreshCron: '0 25 * * *' })
  get() {
    return {};
  }
}

describe.each(ADAPTERS)('data domains read again on refresh (%s)', (adapter: AdapterName) => {
  const dir = tempDir();
  let file: string;
  let stores: StoresService;
  let n = 0;
  const open: INestApplication[] = [];
  const start = async (controllers: Type[], options: { earlyHits?: boolean; logger?: MemoryLogger; ttlSeconds?: number } = {}) => {
    const logger = options.logger ?? new MemoryLogger();
    const app = await createTestApp({
      adapter,
      logger,
      precompute: { cacheFile: file, earlyHits: options.earlyHits ?? false, ttlSeconds: options.ttlSeconds },
      controllers,
      providers: [{ provide: StoresService, useValue: stores }],
      configure: (nest) => nest.useGlobalPipes(new ValidationPipe({ transform: true })),
    });
    open.push(app);
    return { app, logger, server: app.getHttpServer(), precompute: app.get(PrecomputeService) };
  };
  const fileKeys = (): string[] => Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown> }).entries);

  beforeEach(async () => {
    await Promise.all(open.splice(0).map((app) => app.close()));
    file = dir.file(`cache-${n++}.json`);
    stores = new StoresService();
    stores.stores = [
      { id: '101', subregion: Subregion.EMEA, revenue: 1 },
      { id: '102', subregion: Subregion.APAC, revenue: 2 },
    ];
    calls.reset();
  });
  afterAll(async () => {
    await Promise.all(open.splice(0).map((app) => app.close()));
    dir.cleanup();
  });

  it.each([false, true])('grows and shrinks between refreshes without a restart: new values computed, removed ones run live (earlyHits %s)', async (earlyHits) => {
    const { server, logger, precompute } = await start([StoreReportsController], { earlyHits });
    // First request and second: served from the cache
    for (let i = 0; i < 2; i++) await request(server).get('/stores/101/report').expect(200);
    stores.stores = [
      { id: '102', subregion: Subregion.APAC, revenue: 2 },
      { id: '103', subregion: Subregion.EMEA, revenue: 3 },
    ];
    calls.reset();
    const summary = await precompute.refresh({ controller: StoreReportsController, method: 'report' });
    expect(summary).toMatchObject({ computed: 2, failed: 0 });
    expect([...calls.all()].sort()).toEqual(['report 102', 'report 103']);
    calls.reset();
    expect((await request(server).get('/stores/103/report').expect(200)).body).toEqual({ store: '103', revenue: 3 });
    expect((await request(server).get('/stores/103/report').expect(200)).body).toEqual({ store: '103', revenue: 3 });
    expect(calls.count()).toBe(0);
    // The removed store is not served from the cache any more: the handler decides, each time
    await request(server).get('/stores/101/report').expect(404);
    await request(server).get('/stores/101/report').expect(404);
    expect(calls.all()).toEqual(['report 101', 'report 101']);
    expect(fileKeys()).toContain('GET /stores/101/report');
    expect(await logger.waitFor('left its data domain')).toContain('StoreReportsController.report: 1 combination left its data domain on refresh (GET /stores/101/report)');
    expect(precompute.status().find((entry) => entry.handler === 'StoreReportsController.report')).toMatchObject({ total: 2, cached: 2 });

    // And grows back: 101 is computed again by the next refresh
    stores.stores.push({ id: '101', subregion: Subregion.EMEA, revenue: 10 });
    calls.reset();
    await precompute.refresh({ controller: StoreReportsController, method: 'report', params: { store_id: '101' } });
    expect(calls.all()).toEqual(['report 101']);
    calls.reset();
    expect((await request(server).get('/stores/101/report').expect(200)).body).toEqual({ store: '101', revenue: 10 });
    expect(calls.count()).toBe(0);
  });

  it('the TTL sweep reads the data again before refreshing stale entries: a new value is computed, a removed one runs live', async () => {
    const { server } = await start([StoreReportsController], { ttlSeconds: 1 });
    stores.stores = [
      { id: '102', subregion: Subregion.APAC, revenue: 2 },
      { id: '103', subregion: Subregion.EMEA, revenue: 3 },
    ];
    calls.reset();
    await waitUntil(
      () => (calls.all().includes('report 103') && calls.all().includes('report 102') ? true : undefined),
      `the sweep to compute the new store 103 and refresh 102 once stale (calls so far: ${calls.all().join(', ')})`,
    );
    await waitUntil(async () => {
      const before = calls.count('report 103');
      await request(server).get('/stores/103/report').expect(200);
      return calls.count('report 103') === before ? true : undefined;
    }, 'store 103 to be served from the cache');
    const before = calls.count('report 101');
    await request(server).get('/stores/101/report').expect(404);
    expect(calls.count('report 101')).toBe(before + 1);
  });

  it('combinations are read again too: a new pair is computed, a removed one runs live', async () => {
    const { server, precompute } = await start([StoreReportsController]);
    stores.stores = [{ id: '101', subregion: Subregion.APAC, revenue: 1 }];
    calls.reset();
    await precompute.refresh({ controller: StoreReportsController, method: 'bySubregion' });
    expect(calls.all()).toEqual(['pair APAC/101']);
    calls.reset();
    expect((await request(server).get('/stores/by-subregion?subregion=APAC&store_id=101').expect(200)).body.matches).toBe(true);
    expect(calls.count()).toBe(0);
    expect((await request(server).get('/stores/by-subregion?subregion=EMEA&store_id=101').expect(200)).body.matches).toBe(false);
    expect(calls.all()).toEqual(['pair EMEA/101']);
  });

  it.each([false, true])('a domain function that throws on refresh fails it with a message; old entries are still served (earlyHits %s)', async (earlyHits) => {
    const { server, logger, precompute } = await start([StoreReportsController], { earlyHits });
    stores.failure = 'throw';
    stores.stores[0].revenue = 50;
    calls.reset();
    const summary = await precompute.refresh({ controller: StoreReportsController, method: 'report' });
    expect(summary.failed).toBe(1);
    expect(summary.computed).toBe(0);
    expect(summary.failures[0].key).toBe('StoreReportsController.report');
    expect(summary.failures[0].error).toContain('StoreReportsController.report: the domain function of parameter "store_id"');
    expect(summary.failures[0].error).toContain('threw Error: database unreachable');
    expect(summary.failures[0].error).toContain('the entries already cached for it are still served');
    expect(logger.lines.some((line) => line.startsWith('ERROR') && line.includes('parameter "store_id"'))).toBe(true);
    expect(calls.count()).toBe(0);
    for (let i = 0; i < 2; i++) expect((await request(server).get('/stores/101/report').expect(200)).body).toEqual({ store: '101', revenue: 1 });
    expect(calls.count()).toBe(0);
    expect(precompute.status().find((entry) => entry.handler === 'StoreReportsController.report')).toMatchObject({ total: 2, cached: 2 });
    // Once the data answers again, the next refresh works
    stores.failure = undefined;
    expect(await precompute.refresh({ controller: StoreReportsController, method: 'report' })).toMatchObject({ computed: 2, failed: 0 });
    expect((await request(server).get('/stores/101/report').expect(200)).body.revenue).toBe(50);
  });

  it('a domain failure at startup counts in the summary, and its stored entries are not reported as orphans', async () => {
    await (await start([StoreReportsController])).app.close();
    stores.failure = 'throw';
    const { precompute, logger } = await start([StoreReportsController]);
    const summary = await precompute.whenReady();
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    expect(summary.failures.map((failure) => failure.key)).toContain('StoreReportsController.report');
    expect(logger.lines.filter((line) => line.includes('match no current combination'))).toEqual([]);
  });

  it('status() shows the next scheduled refresh of a handler; a handler without a schedule has none', async () => {
    const { precompute } = await start([NightlyController, StoreReportsController]);
    const before = new Date();
    const nightly = precompute.status().find((entry) => entry.handler === 'NightlyController.get');
    const expected = new CronSchedule('0 2 * * *', 'Europe/Paris').next(before).toISOString();
    expect(nightly?.nextRefresh).toBe(expected);
    expect(precompute.status().find((entry) => entry.handler === 'StoreReportsController.report')?.nextRefresh).toBeUndefined();
  });

  it('refuses an invalid refreshCron at startup, naming the handler; and an invalid module-wide one', async () => {
    await expect(start([BadCronController])).rejects.toThrow('BadCronController.get: @Precomputed({ refreshCron }): "0 25 * * *" is not a valid cron expression');
    await expect(
      createTestApp({ adapter, precompute: { cacheFile: file, refreshCron: 'every day' }, controllers: [NightlyController] }),
    ).rejects.toThrow('PrecomputeModule: option "refreshCron": "every day" is not a valid cron expression');
    await expect(
      createTestApp({ adapter, precompute: { cacheFile: file, refreshCron: '@daily', refreshTimeZone: 'Mars/Olympus' }, controllers: [NightlyController] }),
    ).rejects.toThrow('"Mars/Olympus" is not a known time zone');
  });
});
