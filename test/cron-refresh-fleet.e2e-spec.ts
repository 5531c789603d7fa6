import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrecomputeService, RedisStore, type PrecomputeModuleOptions } from '../lib';
import { calls, CmsWebhookController, StoreReportsController, StoresService, Subregion, WEBHOOK_SECRET } from './fixtures/data-domains.controllers';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';
import { DEFAULT_WAIT_MS, lastLines, waitUntil } from './helpers/waits';

const dir = tempDir();
let redis: RedisServer;
let n = 0;
/** The stores two processes can share, each as the options of one process (called once per process). */
const STORES: ReadonlyArray<[string, (id: number) => PrecomputeModuleOptions]> = [
  ['one JSON file', (id) => ({ cacheFile: dir.file(`fleet-${id}.json`) })],
  ['one Redis', (id) => ({ store: new RedisStore({ connection: redis.url, prefix: `cron-fleet-${id}` }) })],
];

/** A cron expression (UTC, with seconds) firing once, at `at`. */
function onceAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  dir.cleanup();
});

describe.each(ADAPTERS.flatMap((adapter) => STORES.map(([name, options]) => [adapter, name, options] as const)))(
  'two processes sharing a store (%s, %s)',
  (adapter: AdapterName, _name, options) => {
    const apps: INestApplication[] = [];
    let stores: StoresService;
    let logger: MemoryLogger;
    let id: number;
    const start = async (extra: Partial<PrecomputeModuleOptions> = {}) => {
      const app = await createTestApp({
        adapter,
        // Nest's Logger is process-wide: both processes share one, as lines of one log
        logger,
        precompute: { ...options(id), progress: false, ...extra },
        controllers: [StoreReportsController, CmsWebhookController],
        providers: [{ provide: StoresService, useValue: stores }],
        configure: (nest) => nest.useGlobalPipes(new ValidationPipe({ transform: true })),
      });
      apps.push(app);
      await app.get(PrecomputeService).whenReady();
      return app;
    };

    beforeEach(() => {
      id = n++;
      logger = new MemoryLogger();
      stores = new StoresService();
      stores.stores = [
        { id: '101', subregion: Subregion.EMEA, revenue: 1 },
        { id: '102', subregion: Subregion.APAC, revenue: 2 },
      ];
      calls.reset();
    });
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
    });

    it('a refreshCron fires in both, reads the data domain again, and each combination is computed once across them', async () => {
      // Far enough ahead for both apps to start on a busy machine; checked below through status()
      const at = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000);
      const cron = { refreshCron: onceAt(at), refreshTimeZone: 'UTC' };
      const a = await start(cron);
      const b = await start(cron);
      for (const app of [a, b]) {
        const next = app.get(PrecomputeService).status().map((entry) => entry.nextRefresh);
        expect(next).toEqual([at.toISOString(), at.toISOString()]);
      }
      // Startup computed each combination once, across both
      expect(calls.count('report 101')).toBe(1);
      stores.stores.push({ id: '103', subregion: Subregion.EMEA, revenue: 3 });
      stores.stores[0].revenue = 10;
      calls.reset();
      // Two handlers in two processes: four refresh lines once the schedule has run
      await waitUntil(
        () => (logger.lines.filter((line) => line.includes('Refreshed') && line.includes('(refreshCron')).length >= 4 ? true : undefined),
        `four "Refreshed ... (refreshCron" lines (two handlers in two processes), due at ${at.toISOString()}; last lines:\n${lastLines(logger.lines)}`,
        DEFAULT_WAIT_MS,
      );
      expect([...calls.all()].sort()).toEqual(['pair APAC/102', 'pair EMEA/101', 'pair EMEA/103', 'report 101', 'report 102', 'report 103']);
      const computed = logger.lines
        .filter((line) => line.includes('(refreshCron'))
        .map((line) => Number(/computed (\d+)/.exec(line)?.[1] ?? NaN))
        .reduce((sum, count) => sum + count, 0);
      expect(computed).toBe(6);
      // Every process serves the new results from the cache, the new store included
      calls.reset();
      for (const app of [a, b]) {
        expect((await request(app.getHttpServer()).get('/stores/103/report').expect(200)).body).toEqual({ store: '103', revenue: 3 });
        expect((await request(app.getHttpServer()).get('/stores/101/report').expect(200)).body).toEqual({ store: '101', revenue: 10 });
        // The schedule moved on: a year later, as the expression names a date
        expect(app.get(PrecomputeService).status()[0].nextRefresh).toBe(new Date(at.getTime()).toISOString().replace(/^\d{4}/, String(at.getUTCFullYear() + 1)));
      }
      expect(calls.count()).toBe(0);
    });

    it('the CMS webhook recipe on one process: every process serves the new result', async () => {
      const a = await start();
      const b = await start();
      stores.stores[0].revenue = 100;
      calls.reset();
      const res = await request(a.getHttpServer()).post('/webhooks/store-changed').set('x-webhook-secret', WEBHOOK_SECRET).send({ storeId: '101' }).expect(201);
      expect(res.body).toEqual({ computed: 1, failed: 0 });
      expect(calls.all()).toEqual(['report 101']);
      let last: unknown;
      await waitUntil(async () => {
        last = (await request(b.getHttpServer()).get('/stores/101/report').expect(200)).body;
        return (last as { revenue: number }).revenue === 100 ? true : undefined;
      }, `the other process to serve revenue 100 for store 101 (last answer: ${JSON.stringify(last)})`);
      expect((await request(a.getHttpServer()).get('/stores/101/report').expect(200)).body.revenue).toBe(100);
      // Served from the cache by both: the handler ran once, in the process the CMS called
      expect(calls.all()).toEqual(['report 101']);
    });
  },
);
