import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { PrecomputeService } from '../lib';
import { BrokenController, FilteredController, RefusedController, shapeCalls, ShapesModule } from './fixtures/return-shapes.controllers';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

describe.each(ADAPTERS)('what is an answer and what is a failure (%s)', (adapter: AdapterName) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('a 5xx, a refused shape and a 4xx that a filter shapes are failures: not stored, retried, live on every request', async () => {
    const cacheFile = dir.file('failures.json');
    const logger = new MemoryLogger();
    shapeCalls.reset();
    const app = await createTestApp({
      adapter,
      logger,
      precompute: { cacheFile, retries: 1, retryDelayMs: 0, progress: false },
      controllers: [BrokenController, RefusedController, FilteredController],
    });
    try {
      const summary = await app.get(PrecomputeService).whenReady();
      expect(summary).toMatchObject({ computed: 0, failed: 3 });
      expect(summary.answered).toBeUndefined();
      // Retried once each
      expect(shapeCalls.count('broken')).toBe(2);
      expect(shapeCalls.count('filtered')).toBe(2);
      expect(logger.lines.join('\n')).toContain('RefusedController.stream returned a stream; return a StreamableFile');
      expect(existsSync(cacheFile) ? Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries) : []).toEqual([]);
      shapeCalls.reset();
      for (let i = 0; i < 2; i++) {
        await request(app.getHttpServer()).get('/broken').expect(500);
        await request(app.getHttpServer()).get('/filtered').expect(418, 'filtered');
      }
      expect(shapeCalls.all()).toEqual(['broken', 'filtered', 'broken', 'filtered']);
    } finally {
      await app.close();
    }
  });

  it('cacheClientErrors: false makes a 4xx a failure again, run live on every request', async () => {
    shapeCalls.reset();
    const app = await createTestApp({ adapter, precompute: { cacheFile: dir.file('strict.json'), cacheClientErrors: false, progress: false }, imports: [ShapesModule] });
    try {
      const summary = await app.get(PrecomputeService).whenReady();
      expect(summary.failed).toBe(1);
      expect(summary.failures[0].key).toBe('GET /shapes/missing?store=s2');
      shapeCalls.reset();
      await request(app.getHttpServer()).get('/shapes/missing?store=s2').expect(404);
      await request(app.getHttpServer()).get('/shapes/missing?store=s2').expect(404);
      expect(shapeCalls.all()).toEqual(['missing', 'missing']);
    } finally {
      await app.close();
    }
  });
});
