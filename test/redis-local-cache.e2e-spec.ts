import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query } from '@nestjs/common';
import request from 'supertest';
import { Precomputed, PrecomputeService, RedisStore } from '../lib';
import { ADAPTERS, createTestApp, MemoryLogger } from './helpers/test-app';
import { startRedis, type RedisServer } from './helpers/redis-server';

const IDS = Array.from({ length: 20 }, (_, i) => String(i));
let calls = 0;
let generation = 'first';

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ params: { id: IDS } })
  get(@Query('id') id: string) {
    calls++;
    return { id, generation, body: 'x'.repeat(500) };
  }
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe.each(ADAPTERS)('RedisStore with a bounded localCache over HTTP (%s)', (adapter) => {
  it('startup computes nothing Redis holds; hits outside local memory are read from Redis, not computed live', async () => {
    const prefix = `http-${adapter}`;
    generation = 'first';
    const seeder = await createTestApp({ precompute: { store: new RedisStore({ connection: redis.url, prefix }) }, controllers: [ReportController], adapter });
    expect(await seeder.get(PrecomputeService).whenReady()).toMatchObject({ computed: 20 });
    await seeder.close();
    calls = 0;
    generation = 'second';
    // Room for about three entries of ~600 bytes
    const store = new RedisStore({ connection: redis.url, prefix, localCache: { maxBytes: 2000 } });
    const logger = new MemoryLogger();
    const app = await createTestApp({ precompute: { store }, controllers: [ReportController], adapter, logger });
    expect(await app.get(PrecomputeService).whenReady()).toMatchObject({ computed: 0, failed: 0 });
    // The run reads what memory does not hold before computing anything: its line says so
    expect(logger.precompute().join('\n')).toMatch(/ReportController\.get: 20 combinations, \d+ held in memory, \d+ to read from Redis \(prefix "http-\w+"\), computed only where missing/);
    for (const round of [1, 2]) {
      for (const id of IDS) {
        const res = await request(app.getHttpServer()).get(`/report?id=${id}`).expect(200);
        expect(res.body).toMatchObject({ id, generation: 'first' });
      }
      expect([round, calls]).toEqual([round, 0]);
    }
    expect([...store.entries()].length).toBeLessThanOrEqual(3);
    await app.close();
  });

  it("startup 'off' says the entries it does not hold are read from Redis, not that they are answered live", async () => {
    const prefix = `off-${adapter}`;
    const seeder = await createTestApp({ precompute: { store: new RedisStore({ connection: redis.url, prefix }) }, controllers: [ReportController], adapter });
    await seeder.get(PrecomputeService).whenReady();
    await seeder.close();
    const logger = new MemoryLogger();
    const store = new RedisStore({ connection: redis.url, prefix, localCache: { maxBytes: 2000 } });
    const app = await createTestApp({ precompute: { store, startup: 'off' }, controllers: [ReportController], adapter, logger });
    const warning = await logger.waitFor("startup is 'off'");
    expect(warning).toMatch(/\d+ of 20 combinations are not held in this process's memory; each is read from Redis \(prefix "off-\w+"\) when asked for/);
    expect(warning).not.toContain('are answered live');
    await app.close();
  });
});
