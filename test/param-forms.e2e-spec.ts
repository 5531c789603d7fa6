import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrecomputeService } from '../lib';
import {
  calls,
  PARAM_FORM_TOTALS,
  ReportsController,
  StoresController,
} from './fixtures/param-forms.controllers';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const TOTAL = Object.values(PARAM_FORM_TOTALS).reduce((a, b) => a + b, 0);

describe.each(ADAPTERS)('every parameter form, precomputed then served (%s)', (adapter: AdapterName) => {
  const dir = tempDir();
  const start = (): Promise<INestApplication> => createTestApp({
    adapter,
    precompute: { cacheFile: dir.file('cache.json'), concurrency: 8 },
    controllers: [ReportsController, StoresController],
    configure: (app) => app.useGlobalPipes(new ValidationPipe({ transform: true })),
  });
  let app: INestApplication;
  /** Handler calls of the first start, on an empty cache. */
  let firstStart: Record<string, number>;

  beforeAll(async () => {
    calls.reset();
    await (await start()).close();
    firstStart = Object.fromEntries(Object.keys(PARAM_FORM_TOTALS).map((name) => [name, calls.count(name)]));
  });
  // Every test starts the app again on the cache the first start wrote
  beforeEach(async () => {
    calls.reset();
    app = await start();
  });
  afterEach(() => app.close());
  afterAll(() => dir.cleanup());

  it('calls each handler once per combination at startup, then zero times while serving', async () => {
    expect(firstStart).toEqual(PARAM_FORM_TOTALS);
    expect(calls.count()).toBe(0);
    const server = app.getHttpServer();
    await request(server).get('/reports?region=EMEA&level=1&period=day').expect(200);
    await request(server).get('/reports/by-region/APAC').expect(200);
    await request(server).get('/reports/totals').expect(200);
    await request(server).get('/stores/AMER/summary?open=true&channel=web').expect(200);
    await request(server).get('/stores/flags').expect(200);
    await request(server).get('/stores/years?year=2025&channel=shop').expect(200);
    expect(calls.count()).toBe(0);
  });

  it('restarting computes nothing', async () => {
    expect(calls.count()).toBe(0);
    const summary = await app.get(PrecomputeService).whenReady();
    expect(summary).toMatchObject({ cached: TOTAL, computed: 0, failed: 0 });
  });

  it('DTO: inherited enum, numeric enum (string "1" matches 1), @IsIn, optional boolean; pipes ran at precompute', async () => {
    const res = await request(app.getHttpServer()).get('/reports?period=week&level=2&region=APAC&detailed=true').expect(200);
    expect(res.body).toEqual({ region: 'APAC', level: 2, levelType: 'number', period: 'week', detailed: true, isDto: true });
    const absent = await request(app.getHttpServer()).get('/reports?region=AMER&level=1&period=day').expect(200);
    expect(absent.body.detailed).toBeNull();
    expect(calls.count()).toBe(0);
  });

  it('query order does not matter', async () => {
    const a = await request(app.getHttpServer()).get('/reports?region=EMEA&level=1&period=day');
    const b = await request(app.getHttpServer()).get('/reports?period=day&level=1&region=EMEA');
    expect(a.text).toBe(b.text);
    expect(a.headers.etag).toBe(b.headers.etag);
    expect(calls.count()).toBe(0);
  });

  it('named ParseEnumPipe (route and optional query) and ParseBoolPipe class', async () => {
    const res = await request(app.getHttpServer()).get('/stores/EMEA/summary?open=false').expect(200);
    expect(res.body).toEqual({ region: 'EMEA', open: false, openType: 'boolean', channel: null });
    const web = await request(app.getHttpServer()).get('/stores/APAC/summary?channel=web&open=true').expect(200);
    expect(web.body).toEqual({ region: 'APAC', open: true, openType: 'boolean', channel: 'web' });
    expect(calls.count()).toBe(0);
  });

  it('optional ParseBoolPipe instance: true, false and absent are three combinations', async () => {
    for (const [query, beta] of [['?beta=true', true], ['?beta=false', false], ['', null]] as const) {
      const res = await request(app.getHttpServer()).get(`/stores/flags${query}`).expect(200);
      expect(res.body).toEqual({ beta });
    }
    expect(calls.count()).toBe(0);
  });

  it('explicit params: array of numbers and enum object; the DTO-less @Query() object sees every key', async () => {
    const res = await request(app.getHttpServer()).get('/stores/years?channel=web&year=2024').expect(200);
    expect(res.body).toEqual({ year: 2024, yearType: 'number', all: { year: '2024', channel: 'web' } });
    expect(calls.count()).toBe(0);
  });

  it('requests outside the domain go through the pipeline and run live', async () => {
    const server = app.getHttpServer();
    // a value outside the domain: validation answers 400
    await request(server).get('/reports?region=MARS&level=1&period=day').expect(400);
    await request(server).get('/stores/NARNIA/summary?open=true').expect(400);
    // a numeric value in another spelling is not a combination: live
    await request(server).get('/reports?region=EMEA&level=01&period=day').expect(200);
    // an unknown key: live
    await request(server).get('/reports/totals?debug=1').expect(200);
    // a repeated key: live (the global ValidationPipe turns the array into a boolean)
    await request(server).get('/stores/flags?beta=true&beta=false').expect(200);
    expect(calls.count('report')).toBe(1);
    expect(calls.count('totals')).toBe(1);
    expect(calls.count('flags')).toBe(1);
    expect(calls.count()).toBe(3);
  });
});
