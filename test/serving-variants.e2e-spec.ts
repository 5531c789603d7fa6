import 'reflect-metadata';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import {
  ClassSerializerInterceptor,
  Controller,
  Get,
  NotFoundException,
  ParseEnumPipe,
  Query,
  UseGuards,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed } from '../lib';
import { calls, Region, Report, TokenGuard } from './fixtures/serving.controllers';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName, type TestAppOptions } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

@Controller('open')
class OpenController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record('open');
    return { region, open: true };
  }

  @Get('missing')
  @Precomputed({ params: { n: ['1', '2'] } })
  missing(@Query('n') n: string) {
    calls.record(`missing ${n}`);
    if (n === '2') throw new NotFoundException(`no data for ${n}`);
    return { n };
  }
}

@Controller('guarded-class')
@UseGuards(TokenGuard)
class ControllerGuarded {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record('guarded-class');
    return { region, open: false };
  }
}

@Controller('guarded-handler')
class HandlerGuarded {
  @Get()
  @UseGuards(TokenGuard)
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record('guarded-handler');
    return { region, open: false };
  }
}

@Controller('serialized-class')
@UseInterceptors(ClassSerializerInterceptor)
class SerializedByClass {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region): Report {
    calls.record('serialized-class');
    return new Report(region);
  }
  @Get('live')
  live(@Query('region', new ParseEnumPipe(Region)) region: Region): Report {
    return new Report(region);
  }
}

@Controller('serialized-instance')
@UseInterceptors(new ClassSerializerInterceptor(new Reflector()))
class SerializedByInstance {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region): Report {
    calls.record('serialized-instance');
    return new Report(region);
  }
  @Get('live')
  live(@Query('region', new ParseEnumPipe(Region)) region: Region): Report {
    return new Report(region);
  }
}

const CONFIGURATIONS = ADAPTERS.flatMap((adapter) => [false, true].map((earlyHits) => [adapter, earlyHits] as const));

/** Where the guard is declared, and what the app needs for it. */
const GUARD_LEVELS: ReadonlyArray<[string, string, Partial<TestAppOptions>]> = [
  ['global, app.useGlobalGuards()', '/open', { configure: (app) => app.useGlobalGuards(new TokenGuard()) }],
  ['global, APP_GUARD provider', '/open', { providers: [{ provide: APP_GUARD, useClass: TokenGuard }] }],
  ['controller, @UseGuards()', '/guarded-class', {}],
  ['handler, @UseGuards()', '/guarded-handler', {}],
];

describe.each(CONFIGURATIONS)('serving variants (%s, earlyHits: %s)', (adapter: AdapterName, earlyHits: boolean) => {
  const dir = tempDir();
  let app: INestApplication | undefined;
  const start = async (cacheFile: string, extra: Partial<TestAppOptions> = {}, logger: MemoryLogger | false = false, watchFile = true) => {
    app = await createTestApp({
      ...extra,
      adapter,
      logger,
      precompute: { cacheFile, earlyHits, watchFile },
      controllers: [OpenController, ControllerGuarded, HandlerGuarded, SerializedByClass, SerializedByInstance],
    });
    calls.reset();
    return app;
  };
  const get = (path: string) => request((app as INestApplication).getHttpServer()).get(path);
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => dir.cleanup());

  it.each(GUARD_LEVELS)('a guard (%s) runs before a cached answer', async (_level, path, extra) => {
    await start(dir.file(`guard-${path.slice(1)}-${String(extra.configure !== undefined)}.json`), extra);
    const denied = await get(`${path}?region=EMEA`).expect(403);
    expect(denied.text).not.toContain('EMEA');
    const allowed = await get(`${path}?region=EMEA`).set('x-token', 'secret').expect(200);
    expect(allowed.body).toMatchObject({ region: 'EMEA' });
    expect(calls.count()).toBe(0);
  });

  it.each([
    ['a class', '/serialized-class'],
    ['an instance', '/serialized-instance'],
  ])('@UseInterceptors(ClassSerializerInterceptor) given as %s: the cached body is the live one, @Exclude() never stored', async (_form, path) => {
    const cacheFile = dir.file(`serialized-${path.slice(1)}.json`);
    await start(cacheFile);
    for (const region of ['EMEA', 'APAC']) {
      const cached = await get(`${path}?region=${region}`).expect(200);
      const live = await get(`${path}/live?region=${region}`).expect(200);
      expect(cached.text).toBe(live.text);
      expect(cached.body).toMatchObject({ label: `report-${region}` });
      expect(cached.body).not.toHaveProperty('internalCost');
    }
    expect(calls.count()).toBe(0);
    expect(readFileSync(cacheFile, 'utf8')).not.toContain('secret-cost-123');
  });

  it('another casing of an enum value is not a hit: the pipeline answers it (400), never the cached EMEA', async () => {
    await start(dir.file('casing.json'));
    await get('/open?region=EMEA').expect(200);
    for (const casing of ['emea', 'Emea']) {
      const res = await get(`/open?region=${casing}`).expect(400);
      expect(res.text).not.toContain('"open":true');
    }
    expect(calls.count()).toBe(0);
  });

  it('If-None-Match with a list of tags: 304 when one matches (weak or strong), 200 when none does', async () => {
    await start(dir.file('etags.json'));
    const { etag } = (await get('/open?region=APAC').expect(200)).headers as { etag: string };
    await get('/open?region=APAC').set('If-None-Match', `"not-it", ${etag}`).expect(304);
    await get('/open?region=APAC').set('If-None-Match', `"not-it",W/${etag} , "other"`).expect(304);
    const none = await get('/open?region=APAC').set('If-None-Match', '"not-it", "other"').expect(200);
    expect(none.body).toEqual({ region: 'APAC', open: true });
  });

  it('the second request after a 404 gets the 404 again, never a cached 200', async () => {
    await start(dir.file('not-found.json'));
    const first = await get('/open/missing?n=2').expect(404);
    const second = await get('/open/missing?n=2').expect(404);
    expect(second.body).toEqual(first.body);
    expect(second.body.message).toBe('no data for 2');
  });

  it('out-of-domain requests run live and add no entry', async () => {
    const cacheFile = dir.file('out-of-domain.json');
    await start(cacheFile);
    expect((await get('/open/missing?n=3').expect(200)).body).toEqual({ n: '3' });
    expect((await get('/open/missing?n=3').expect(200)).body).toEqual({ n: '3' });
    expect(calls.count('missing 3')).toBe(2);
    await app?.close();
    app = undefined;
    const keys = Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries as object);
    expect(keys.filter((key) => key.includes('n=3'))).toEqual([]);
    expect(keys).toContain('GET /open/missing?n=1');
  });

  it.each([
    ['while running (watcher on)', true],
    ['across a restart (watcher off)', false],
  ])('a stale ETag after a hand edit %s gets 200 with the edited body', async (_when, watchFile) => {
    const cacheFile = dir.file(`edit-${String(watchFile)}.json`);
    const logger = new MemoryLogger();
    await start(cacheFile, {}, logger, watchFile);
    const before = await get('/open?region=EMEA').expect(200);
    const document = JSON.parse(readFileSync(cacheFile, 'utf8'));
    document.entries['GET /open?region=EMEA'].value = { region: 'EMEA', open: 'edited by hand' };
    if (!watchFile) await app?.close();
    writeFileSync(cacheFile, JSON.stringify(document, null, 2));
    if (watchFile) await logger.waitFor('Reloaded');
    else await start(cacheFile, {}, false, watchFile);
    const after = await get('/open?region=EMEA').set('If-None-Match', before.headers.etag as string).expect(200);
    expect(after.body).toEqual({ region: 'EMEA', open: 'edited by hand' });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // The edit was not made when the entry was computed: no Last-Modified claims so
    expect(before.headers['last-modified']).toBeDefined();
    expect(after.headers['last-modified']).toBeUndefined();
    await get('/open?region=EMEA').set('If-None-Match', after.headers.etag as string).expect(304);
    expect(existsSync(cacheFile)).toBe(true);
  });
});

