import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService, type StartupMode } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const calls = new CallLog();

@Controller('live')
class LiveController {
  @Get()
  @Precomputed({ params: { n: ['1', '2'] } })
  get(@Query('n') n: string) {
    calls.record(n);
    return { n };
  }
}

/** Whether live answers to missing combinations are stored, by startup mode (see the README's options table). */
describe.each(ADAPTERS)('live results of missing combinations (%s)', (adapter: AdapterName) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  const start = async (startup: StartupMode, persistLiveResults = true, logger?: MemoryLogger) => {
    app = await createTestApp({ adapter, logger, precompute: { cacheFile: dir.file('cache.json'), startup, persistLiveResults }, controllers: [LiveController] });
    return app.get(PrecomputeService);
  };
  const entriesInFile = (): string[] => {
    const file = dir.file('cache.json');
    return existsSync(file) ? Object.keys(JSON.parse(readFileSync(file, 'utf8')).entries as object) : [];
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

  it("startup: 'off' never writes the store: a missing combination runs live on every request and is not stored", async () => {
    const service = await start('off');
    for (let i = 0; i < 3; i++) expect((await request(app?.getHttpServer()).get('/live?n=1').expect(200)).body).toEqual({ n: '1' });
    expect(calls.count('1')).toBe(3);
    expect(service.get(LiveController, 'get', { n: '1' })).toBeUndefined();
    await app?.close();
    app = undefined;
    expect(entriesInFile()).toEqual([]);
  });

  it("startup: 'off' counts what the file holds and says how many combinations it lacks", async () => {
    const first = await start('background');
    await first.whenReady();
    await first.invalidate({ params: { n: '2' } });
    await app?.close();
    const logger = new MemoryLogger();
    const service = await start('off', true, logger);
    expect(await service.whenReady()).toMatchObject({ cached: 1, computed: 0, skipped: 1 });
    expect(logger.precompute().join('\n')).toContain("startup is 'off': 1 of 2 combinations are not in");
  });

  it("startup: 'background' stores it: the next request is a hit", async () => {
    const service = await start('background');
    await service.whenReady();
    await service.invalidate({ params: { n: '1' } });
    calls.reset();
    for (let i = 0; i < 3; i++) expect((await request(app?.getHttpServer()).get('/live?n=1').expect(200)).body).toEqual({ n: '1' });
    expect(calls.count('1')).toBe(1);
    expect(service.get(LiveController, 'get', { n: '1' })).toEqual({ n: '1' });
  });

  it('persistLiveResults: false stores nothing either', async () => {
    const service = await start('background', false);
    await service.whenReady();
    await service.invalidate({ params: { n: '2' } });
    calls.reset();
    await request(app?.getHttpServer()).get('/live?n=2').expect(200);
    await request(app?.getHttpServer()).get('/live?n=2').expect(200);
    expect(calls.count('2')).toBe(2);
    expect(service.get(LiveController, 'get', { n: '2' })).toBeUndefined();
  });
});
