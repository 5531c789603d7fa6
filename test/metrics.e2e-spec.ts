import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, NotFoundException, ParseEnumPipe, Query, type INestApplication } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { OtelMemory, total, within } from './helpers/otel-memory';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Region {
  EMEA = 'EMEA',
  APAC = 'APAC',
  AMER = 'AMER',
}
class WarehouseDownError extends Error {}

let failing: Region | undefined;
let gate: { promise: Promise<void>; release: () => void };
function closeGate() {
  let release!: () => void;
  gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
}

@Controller('report')
class ReportController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    if (region === failing) throw new WarehouseDownError(`the ${region} warehouse is down`);
    return { region, revenue: region.length * 1000 };
  }
}

@Controller('stock')
class StockController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    // A 4xx is the handler's answer for that combination: stored and served, not a failure
    if (region === Region.AMER) throw new NotFoundException('no stock is kept for AMER');
    return { region, units: 7 };
  }
}

@Controller('daily')
class DailyController {
  @Get()
  @Precomputed({ ttlSeconds: 3600, params: { region: [Region.EMEA, Region.APAC] } })
  async get(@Query('region') region: Region) {
    await gate.promise;
    return { region, day: 'today' };
  }
}

const REPORT = { 'http.route': '/report' };
const DAILY = { 'http.route': '/daily' };
const STOCK = { 'http.route': '/stock' };
const bodyBytes = (region: Region) => JSON.stringify({ region, revenue: region.length * 1000 }).length;

describe.each(ADAPTERS)('OpenTelemetry metrics (%s)', (adapter: AdapterName) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  let otel: OtelMemory | undefined;

  beforeEach(async () => {
    dir = tempDir();
    failing = undefined;
    closeGate();
    gate.release();
    // A first start fills the daily entries; then they are made a day old: stale at the next start
    const first = await createTestApp({ adapter, precompute: { cacheFile: dir.file('cache.json') }, controllers: [DailyController] });
    await first.close();
    const document = JSON.parse(readFileSync(dir.file('cache.json'), 'utf8'));
    for (const entry of Object.values<{ computedAt: string }>(document.entries)) entry.computedAt = new Date(Date.now() - 86_400_000).toISOString();
    writeFileSync(dir.file('cache.json'), JSON.stringify(document, null, 2));
  });
  afterEach(async () => {
    gate.release();
    await app?.close();
    app = undefined;
    await otel?.shutdown();
    dir.cleanup();
  });

  it.each([false, true])('counts hits, 304s, live answers, stale answers, refreshes and failures (earlyHits: %s)', async (earlyHits) => {
    otel = new OtelMemory();
    const logger = new MemoryLogger();
    failing = Region.AMER;
    closeGate();
    app = await createTestApp({ adapter, logger, precompute: { cacheFile: dir.file('cache.json'), earlyHits }, controllers: [ReportController, DailyController, StockController] });
    const server = app.getHttpServer();
    const service = app.get(PrecomputeService);
    const path = earlyHits ? 'early' : 'interceptor';

    // Startup computed EMEA and APAC; AMER failed. The stale daily entries are being refreshed (held by the gate)
    for (let i = 0; i < 3; i++) await request(server).get('/report?region=EMEA').expect(200);
    const etag = (await request(server).get('/report?region=APAC').expect(200)).headers.etag as string;
    await request(server).get('/report?region=APAC').set('If-None-Match', etag).expect(304);
    failing = undefined;
    await request(server).get('/report?region=AMER').expect(200, { region: 'AMER', revenue: 4000 });
    await request(server).get('/daily?region=EMEA').expect(200, { region: 'EMEA', day: 'today' });
    for (let i = 0; i < 2; i++) await request(server).get('/stock?region=AMER').expect(404);
    await request(server).get('/stock?region=EMEA').expect(200, { region: 'EMEA', units: 7 });

    let points = await otel.collect();
    expect(total(points, 'precompute.hits', { ...REPORT, 'precompute.serving_path': path, 'http.response.status_code': 200 })).toBe(4);
    expect(total(points, 'precompute.hits', { ...REPORT, 'precompute.serving_path': path, 'http.response.status_code': 304 })).toBe(1);
    expect(total(points, 'precompute.hits', { 'precompute.serving_path': earlyHits ? 'interceptor' : 'early' })).toBe(0);
    expect(total(points, 'precompute.serve.duration', REPORT)).toBe(5);
    expect(total(points, 'precompute.live_answers', REPORT)).toBe(1);
    expect(total(points, 'precompute.stale_answers', DAILY)).toBe(1);
    expect(total(points, 'precompute.stale_answers', REPORT)).toBe(0);
    expect(total(points, 'precompute.failures', { ...REPORT, 'error.type': 'WarehouseDownError', 'precompute.handler': 'ReportController.get' })).toBe(1);
    expect(total(points, 'precompute.compute.duration', REPORT)).toBe(3);
    expect(total(points, 'precompute.entries', REPORT)).toBe(3);
    expect(total(points, 'precompute.bytes', REPORT)).toBe(bodyBytes(Region.EMEA) + bodyBytes(Region.APAC) + bodyBytes(Region.AMER));
    expect(total(points, 'precompute.entries', DAILY)).toBe(2);
    expect(total(points, 'precompute.stale_entries', DAILY)).toBe(2);
    expect(total(points, 'precompute.refreshes')).toBe(0);
    // A stored 404 answer: hits by status, a computation with its status, never a failure
    expect(total(points, 'precompute.hits', { ...STOCK, 'precompute.serving_path': path, 'http.response.status_code': 404 })).toBe(2);
    expect(total(points, 'precompute.hits', { ...STOCK, 'http.response.status_code': 200 })).toBe(1);
    expect(total(points, 'precompute.compute.duration', { ...STOCK, 'http.response.status_code': 404 })).toBe(1);
    expect(total(points, 'precompute.compute.duration', STOCK)).toBe(3);
    expect(total(points, 'precompute.failures', STOCK)).toBe(0);
    expect(total(points, 'precompute.live_answers', STOCK)).toBe(0);
    expect(total(points, 'precompute.entries', STOCK)).toBe(3);

    // An on-demand refresh of the report, with APAC failing; then the stale refresh completes
    failing = Region.APAC;
    const summary = await service.refresh({ controller: ReportController });
    expect(summary).toMatchObject({ computed: 2, failed: 1 });
    gate.release();
    await within(logger.waitFor('Refreshed 2 combinations (stale)'), 10_000, `the stale refresh of /daily (log so far: ${logger.precompute().slice(-3).join(' | ')})`);

    points = await otel.collect();
    expect(total(points, 'precompute.refreshes', { ...REPORT, 'precompute.refresh.reason': 'on demand' })).toBe(3);
    expect(total(points, 'precompute.refreshes', { ...DAILY, 'precompute.refresh.reason': 'stale' })).toBe(2);
    expect(total(points, 'precompute.failures', { ...REPORT, 'error.type': 'WarehouseDownError' })).toBe(2);
    expect(total(points, 'precompute.compute.duration', REPORT)).toBe(6);
    expect(total(points, 'precompute.compute.duration', DAILY)).toBe(2);
    expect(total(points, 'precompute.stale_entries', DAILY)).toBe(0);
    expect(total(points, 'precompute.entries', REPORT)).toBe(3);

    // status() tells the same story
    const [report, daily, stock] = service.status();
    expect(report).toMatchObject({
      handler: 'ReportController.get',
      total: 3,
      cached: 3,
      coverage: 1,
      answers: { cached: earlyHits ? 0 : 4, early: earlyHits ? 4 : 0, notModified: 1, live: 1, stale: 0, byStatus: { 200: 4, 304: 1 } },
      failing: 1,
      failures: [{ key: 'GET /report?region=APAC', error: 'Error: the APAC warehouse is down', count: 1 }],
      lastRefresh: { reason: 'on demand', computed: 2, failed: 1 },
      serving: { path },
    });
    expect(report.nextRefresh).toBeUndefined();
    expect(daily).toMatchObject({ stale: 0, answers: { stale: 1 }, lastRefresh: { reason: 'stale', computed: 2, failed: 0 } });
    expect(Date.parse(daily.nextRefresh as string)).toBeGreaterThan(Date.now() + 3_500_000);
    expect(stock).toMatchObject({ cached: 3, answered: { 404: 1 }, failed: 0, failing: 0, answers: { byStatus: { 200: 1, 404: 2 } } });
  });
});

describe('without an OpenTelemetry SDK', () => {
  it('measures nothing, and status() still counts every answer', async () => {
    const dir = tempDir();
    failing = undefined;
    closeGate();
    gate.release();
    const app = await createTestApp({ precompute: { cacheFile: dir.file('cache.json') }, controllers: [ReportController] });
    try {
      await request(app.getHttpServer()).get('/report?region=EMEA').expect(200);
      const [report] = app.get(PrecomputeService).status();
      // earlyHits 'auto' (the default) answers this bare route before Nest's router
      expect(report.answers).toEqual({ cached: 0, early: 1, notModified: 0, live: 0, stale: 0, byStatus: { 200: 1 } });
    } finally {
      await app.close();
      dir.cleanup();
    }
  });
});
