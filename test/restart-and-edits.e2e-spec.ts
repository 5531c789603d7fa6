import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { PrecomputeService } from '../lib';
import { calls, SalesController } from './fixtures/sales.controller';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const EMEA_101 = 'GET /sales-report?store_id=101&subregion=EMEA';

describe.each(ADAPTERS)('restart and hand edits (%s)', (adapter: AdapterName) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  const start = async (logger = new MemoryLogger()) => {
    app = await createTestApp({ adapter, precompute: dir.file('sales.json'), controllers: [SalesController], logger });
    return { app, logger };
  };
  beforeEach(() => {
    dir = tempDir();
    calls.reset();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    dir.cleanup();
  });

  it('persists a readable, stable file; a restart computes nothing and says so', async () => {
    const first = await start();
    expect(calls.count()).toBe(15);
    expect(first.logger.precompute().join('\n')).toMatch(/SalesController.getSalesReport: 15 combinations, 0 cached, 15 to compute/);
    await first.app.close();
    const text = readFileSync(dir.file('sales.json'), 'utf8');
    const parsed = JSON.parse(text);
    expect(parsed.format).toBe('nestjs-precompute/1');
    const keys = Object.keys(parsed.entries);
    expect(keys).toHaveLength(15);
    expect(keys).toEqual([...keys].sort());
    expect(parsed.entries[EMEA_101].value).toEqual({ subregion: 'EMEA', store_id: '101', data: { revenue: 101000 } });
    expect(text).toContain('\n    "GET /sales-report?store_id=101&subregion=AMER": {\n');

    calls.reset();
    const second = await start();
    expect(calls.count()).toBe(0);
    expect(second.logger.precompute()).toContainEqual(
      expect.stringContaining('All 15 combinations of SalesController.getSalesReport already cached'),
    );
    expect(await second.app.get(PrecomputeService).whenReady()).toMatchObject({ cached: 15, computed: 0 });
    // Nothing changed, so nothing was rewritten
    expect(readFileSync(dir.file('sales.json'), 'utf8')).toBe(text);
  });

  it('serves a value edited while the app was stopped, and never overwrites it', async () => {
    await (await start()).app.close();
    const file = dir.file('sales.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    parsed.entries[EMEA_101].value.data.revenue = 7;
    writeFileSync(file, JSON.stringify(parsed, null, 2));
    calls.reset();
    const { app: restarted } = await start();
    expect(calls.count()).toBe(0);
    const res = await request(restarted.getHttpServer()).get('/sales-report?subregion=EMEA&store_id=101').expect(200);
    expect(res.body.data.revenue).toBe(7);
    expect(restarted.get(PrecomputeService).get(SalesController, 'getSalesReport', { subregion: 'EMEA', store_id: '101' }))
      .toEqual({ subregion: 'EMEA', store_id: '101', data: { revenue: 7 } });
    await restarted.close();
    app = undefined;
    expect(JSON.parse(readFileSync(file, 'utf8')).entries[EMEA_101].value.data.revenue).toBe(7);
  });

  it('picks up an edit made while the app runs, without a restart', async () => {
    const { app: running, logger } = await start();
    const file = dir.file('sales.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    parsed.entries[EMEA_101].value.data.revenue = 123;
    writeFileSync(file, JSON.stringify(parsed, null, 2));
    // The reload is announced in the log; wait for the line, then check what is served
    await logger.waitFor('1 entry changed on disk');
    const res = await request(running.getHttpServer()).get('/sales-report?store_id=101&subregion=EMEA').expect(200);
    expect(res.body.data.revenue).toBe(123);
    expect(calls.count()).toBe(15);
  });

  it('a hand edit that breaks the JSON while running is neither served nor overwritten', async () => {
    const { app: running, logger } = await start();
    const file = dir.file('sales.json');
    writeFileSync(file, '{ "format": "nestjs-precompute/1", "entries": { oops');
    const broken = await logger.waitFor('is not valid:');
    // The advice fits a running app: no "delete it to compute everything again" (deleting rewrites it from memory)
    expect(broken).toContain('nothing is written to it until it parses again');
    expect(broken).not.toContain('delete it');
    await request(running.getHttpServer()).get('/sales-report?store_id=101&subregion=EMEA').expect(200);
    await running.close();
    app = undefined;
    expect(readFileSync(file, 'utf8')).toBe('{ "format": "nestjs-precompute/1", "entries": { oops');
  });

  it('says when a broken file is valid again, and reads it', async () => {
    const { app: running, logger } = await start();
    const file = dir.file('sales.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "format": "nestjs-precompute/1", "entries": { oops');
    await logger.waitFor('is not valid:');
    const parsed = JSON.parse(good) as { entries: Record<string, { value: { data: { revenue: number } } }> };
    parsed.entries['GET /sales-report?store_id=101&subregion=EMEA'].value.data.revenue = 777;
    writeFileSync(file, JSON.stringify(parsed, null, 2));
    await logger.waitFor('is valid again');
    const res = await request(running.getHttpServer()).get('/sales-report?store_id=101&subregion=EMEA').expect(200);
    expect(res.body.data.revenue).toBe(777);
  });
});
