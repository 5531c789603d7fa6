import 'reflect-metadata';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationPipe, type INestApplication, type Type } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ModuleRef } from '@nestjs/core';
import { PrecomputeService } from '../lib';
import { PrecomputeRegistry } from '../lib/discovery/precompute.registry';
import { combinations } from '../lib/plan/combinations';
import { resolveHandlerDomains } from '../lib/plan/resolve-handler-domains';
import {
  BadPagesController,
  CalendarController,
  calls,
  CmsWebhookController,
  HistoryController,
  HistoryExplicitController,
  StoreReportsController,
  StoresService,
  Subregion,
  TightLimitController,
  WEBHOOK_SECRET,
} from './fixtures/data-domains.controllers';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

describe.each(ADAPTERS)('domains from data (%s)', (adapter: AdapterName) => {
  const dir = tempDir();
  let file: string;
  let stores: StoresService;
  let n = 0;
  const open: INestApplication[] = [];
  const start = async (controllers: Type[], logger = new MemoryLogger(), earlyHits = false) => {
    const app = await createTestApp({
      adapter,
      logger,
      precompute: { cacheFile: file, earlyHits },
      controllers,
      providers: [{ provide: StoresService, useValue: stores }],
      configure: (nest) => nest.useGlobalPipes(new ValidationPipe({ transform: true })),
    });
    open.push(app);
    return { app, logger, server: app.getHttpServer() };
  };
  /** Keys in the cache file, read from disk. */
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

  describe('a domain function in params', () => {
    it('grows and shrinks across a restart: new values computed, removed ones run live and are kept in the file as orphans', async () => {
      const first = await start([StoreReportsController]);
      expect(calls.all()).toEqual(expect.arrayContaining(['report 101', 'report 102']));
      await first.app.close();

      stores.stores = [
        { id: '102', subregion: Subregion.APAC, revenue: 2 },
        { id: '103', subregion: Subregion.EMEA, revenue: 3 },
      ];
      calls.reset();
      const second = await start([StoreReportsController]);
      // Only the new store is computed
      expect(calls.all().filter((call) => call.startsWith('report'))).toEqual(['report 103']);
      calls.reset();
      expect((await request(second.server).get('/stores/103/report').expect(200)).body).toEqual({ store: '103', revenue: 3 });
      expect((await request(second.server).get('/stores/102/report').expect(200)).body).toEqual({ store: '102', revenue: 2 });
      expect(calls.count()).toBe(0);
      // The removed store is not served from the cache: the handler decides (404)
      await request(second.server).get('/stores/101/report').expect(404);
      expect(calls.all()).toEqual(['report 101']);
      expect(fileKeys()).toContain('GET /stores/101/report');
      expect(second.logger.precompute().join('\n')).toContain('1 entry of GET /stores/101/report');
    });

    it.each([
      ['throw', 'threw Error: database unreachable', false],
      ['not-an-array', 'returned string "oops" instead of an array of values', false],
      ['throw', 'threw Error: database unreachable', true],
    ] as const)('that fails (%s: %s; earlyHits %s) fails the run with a message naming handler and parameter; old entries are still served', async (failure, text, earlyHits) => {
      await (await start([StoreReportsController])).app.close();
      stores.failure = failure;
      calls.reset();
      const { server, logger } = await start([StoreReportsController], new MemoryLogger(), earlyHits);
      const error = logger.lines.find((line) => line.startsWith('ERROR') && line.includes(text));
      expect(error).toContain('StoreReportsController.report: the domain function of parameter "store_id"');
      expect(error).toContain('entries already cached for it are still served');
      expect(calls.count()).toBe(0);
      expect((await request(server).get('/stores/101/report').expect(200)).body).toEqual({ store: '101', revenue: 1 });
      expect(calls.count()).toBe(0);
      // A value that is not stored runs live, and its result is not stored (the domain is unknown)
      stores.stores.push({ id: '999', subregion: Subregion.EMEA, revenue: 9 });
      await request(server).get('/stores/999/report').expect(200);
      await request(server).get('/stores/999/report').expect(200);
      expect(calls.all()).toEqual(['report 999', 'report 999']);
      const status = open[open.length - 1].get(PrecomputeService).status().find((entry) => entry.handler === 'StoreReportsController.report');
      expect(status?.total).toBe(0);
    });
    it('resolveHandlerDomains, the call a refresh makes, reads the data again: new keys and plan, or a failure', async () => {
      const { app } = await start([StoreReportsController]);
      const handler = app.get(PrecomputeRegistry).all().find((candidate) => candidate.name === 'StoreReportsController.report');
      const pairs = app.get(PrecomputeRegistry).all().find((candidate) => candidate.name === 'StoreReportsController.bySubregion');
      if (!handler || !pairs) throw new Error('StoreReportsController was not discovered');
      const context = { moduleRef: app.get(ModuleRef), route: handler.keys.route, maxCombinations: 10_000 };
      stores.stores = [{ id: '102', subregion: Subregion.APAC, revenue: 2 }, { id: '103', subregion: Subregion.EMEA, revenue: 3 }];
      const grown = await resolveHandlerDomains(handler, context);
      expect(grown.failure).toBeUndefined();
      expect([...combinations(grown.keys)].map((values) => grown.keys.keyOf(values))).toEqual(['GET /stores/102/report', 'GET /stores/103/report']);
      expect(grown.keys.keyOfRequest({}, { store_id: '101' })).toBeUndefined();
      // Without class-validator given, it loads it: the DTO's @IsEnum still checks the pairs
      stores.extraPairs = [{ subregion: 'MARS', store_id: '7' }];
      const listed = await resolveHandlerDomains(pairs, { ...context, route: pairs.keys.route });
      expect(listed.failure).toContain('subregion = "MARS" is refused by @StorePairQuery.subregion');
      stores.failure = 'throw';
      const failed = await resolveHandlerDomains(handler, context);
      expect(failed.failure).toContain('StoreReportsController.report: the domain function of parameter "store_id"');
      expect(failed.total).toBe(0);
      // What is stored stays reachable through the failed keys; nothing else is
      expect(failed.keys.keyOfRequest({}, { store_id: '101' })).toBe('GET /stores/101/report');
      expect(failed.keys.keyOfRequest({}, { store_id: '103' })).toBeUndefined();
    });
  });

  describe('combinations', () => {
    it.each([false, true])('computes exactly the listed pairs; a pair of known values that is not listed runs live (earlyHits %s)', async (earlyHits) => {
      const { server } = await start([StoreReportsController], new MemoryLogger(), earlyHits);
      expect(calls.all().filter((call) => call.startsWith('pair')).sort()).toEqual(['pair APAC/102', 'pair EMEA/101']);
      calls.reset();
      const res = await request(server).get('/stores/by-subregion?store_id=101&subregion=EMEA').expect(200);
      expect(res.body).toEqual({ subregion: 'EMEA', store: '101', matches: true });
      expect(calls.count()).toBe(0);
      // Both values are in some pair, but this pair is not listed: live every time, never stored
      for (let i = 0; i < 2; i++) {
        const crossed = await request(server).get('/stores/by-subregion?subregion=APAC&store_id=101').expect(200);
        expect(crossed.body.matches).toBe(false);
      }
      expect(calls.all()).toEqual(['pair APAC/101', 'pair APAC/101']);
      expect(fileKeys().filter((key) => key.includes('by-subregion')).sort()).toEqual([
        'GET /stores/by-subregion?store_id=101&subregion=EMEA',
        'GET /stores/by-subregion?store_id=102&subregion=APAC',
      ]);
    });

    it('refuses a list with invalid pairs, naming each; old entries are still served', async () => {
      await (await start([StoreReportsController])).app.close();
      stores.extraPairs = [{ subregion: 'MARS', store_id: '7' }, { store: '101', subregion: 'EMEA' }, { subregion: 'EMEA', store_id: { id: 1 } }];
      calls.reset();
      const first = await start([StoreReportsController]);
      const error = first.logger.lines.find((line) => line.startsWith('ERROR') && line.includes('StoreReportsController.bySubregion'));
      expect(error).toContain('returned an object (Object) for "store_id" at index 4');
      stores.extraPairs = stores.extraPairs.slice(0, 2);
      await open.pop()?.close();
      const again = await start([StoreReportsController]);
      const refused = again.logger.lines.find((line) => line.startsWith('ERROR') && line.includes('StoreReportsController.bySubregion')) ?? '';
      expect(refused).toContain('2 of the 4 combinations from @Precomputed({ combinations }) are invalid');
      expect(refused).toContain('#2 {"subregion":"MARS","store_id":"7"}: subregion = "MARS" is refused by @StorePairQuery.subregion');
      expect(refused).toContain('#3 {"store":"101","subregion":"EMEA"}: key "store" is not a parameter');
      expect(calls.all().filter((call) => call.startsWith('pair'))).toEqual([]);
      expect((await request(again.server).get('/stores/by-subregion?subregion=EMEA&store_id=101').expect(200)).body.store).toBe('101');
      expect(calls.count('pair EMEA/101')).toBe(0);
    });
  });

  describe('integer ranges', () => {
    it('infers 1..12 from @IsInt @Min @Max (@Type(() => Number)); ParseIntPipe with explicit params works', async () => {
      const { server, app } = await start([CalendarController]);
      expect(calls.all().filter((call) => call.startsWith('month'))).toHaveLength(12);
      expect(app.get(PrecomputeService).status().map((entry) => [entry.handler, entry.total])).toEqual([
        ['CalendarController.month', 12],
        ['CalendarController.page', 3],
      ]);
      calls.reset();
      expect((await request(server).get('/calendar/months?month=12').expect(200)).body).toEqual({ month: 12, type: 'number' });
      expect((await request(server).get('/calendar/pages?page=3').expect(200)).body).toEqual({ page: 3, type: 'number' });
      expect(calls.count()).toBe(0);
      await request(server).get('/calendar/months?month=13').expect(400);
      await request(server).get('/calendar/pages?page=4').expect(200);
      expect(calls.all()).toEqual(['page 4']);
    });

    it.each([
      ['0..1000 by default', HistoryController, 'HistoryController.get: property "year" (YearQuery.year) has @IsInt() @Min(0) @Max(1000): 1,001 values, more than maxIntegerRange (1,000)'],
      ['1..12 with maxIntegerRange: 5', TightLimitController, 'TightLimitController.get: property "month" (MonthQuery.month) has @IsInt() @Min(1) @Max(12): 12 values, more than maxIntegerRange (5)'],
      ['an explicit 2000 outside @Min(0) @Max(1000)', HistoryExplicitController, 'HistoryExplicitController.get: @Precomputed({ params: { year } }) gives parameter "year" the value(s) "2000", which @YearQuery.year (allows integers >= 0 and <= 1000) refuses'],
      ['ParseIntPipe with the explicit value "x"', BadPagesController, 'BadPagesController.get: @Precomputed({ params: { page } }) gives parameter "page" the value(s) "x", which ParseIntPipe on @Query(\'page\') (allows integers) refuses'],
    ] as const)('refuses %s with a message', async (_name, controller, message) => {
      await expect(start([controller])).rejects.toThrow(message);
    });
  });

  describe('on-demand refresh from outside (a CMS webhook)', () => {
    it('a guarded controller refreshes one store: refused without the secret, then the new value is served from the cache', async () => {
      const { server } = await start([StoreReportsController, CmsWebhookController]);
      calls.reset();
      stores.stores[0].revenue = 100;
      await request(server).post('/webhooks/store-changed').send({ storeId: '101' }).expect(403);
      expect((await request(server).get('/stores/101/report').expect(200)).body.revenue).toBe(1);
      const res = await request(server).post('/webhooks/store-changed').set('x-webhook-secret', WEBHOOK_SECRET).send({ storeId: '101' }).expect(201);
      expect(res.body).toEqual({ computed: 1, failed: 0 });
      expect(calls.all()).toEqual(['report 101']);
      expect((await request(server).get('/stores/101/report').expect(200)).body.revenue).toBe(100);
      expect((await request(server).get('/stores/102/report').expect(200)).body.revenue).toBe(2);
      expect(calls.all()).toEqual(['report 101']);
    });
  });
});
