import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, ParseEnumPipe, Query, VersioningType } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Region {
  EU = 'EU',
}
const calls = new CallLog();

@Controller({ path: 'tenant', host: 'admin.example.com' })
class AdminHostController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record(`admin ${region}`);
    return { host: 'admin', region };
  }
}

@Controller({ path: 'tenant', host: 'shop.example.com' })
class ShopHostController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record(`shop ${region}`);
    return { host: 'shop', region };
  }
}

@Controller({ path: 'report', version: '1' })
class ReportController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    return { region };
  }
}

describe.each(ADAPTERS)('host-bound controllers (%s)', (adapter) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('are precomputed per host, with the host in the key, and served by the interceptor only to that host', async () => {
    const cacheFile = dir.file('hosts.json');
    // Fastify refuses two routes of one method and path, whatever their hosts (a Nest limitation)
    const controllers = adapter === 'express' ? [AdminHostController, ShopHostController] : [AdminHostController];
    const app = await createTestApp({ adapter, precompute: { cacheFile, earlyHits: true }, controllers });
    try {
      const keys = Object.keys((JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries).sort();
      const hosts = adapter === 'express' ? ['admin', 'shop'] : ['admin'];
      expect(keys).toEqual(hosts.map((host) => `GET /tenant?region=EU [host ${host}.example.com]`));
      calls.reset();
      for (const host of hosts) {
        const answer = await request(app.getHttpServer()).get('/tenant?region=EU').set('Host', `${host}.example.com`).expect(200);
        expect(answer.body).toEqual({ host, region: 'EU' });
      }
      await request(app.getHttpServer()).get('/tenant?region=EU').set('Host', 'other.example.com').expect(404);
      expect(calls.all()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('cache files written before route truth (%s)', (adapter) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('still load: entries whose key lacked the version are reported as orphans and kept, the new keys computed', async () => {
    const cacheFile = dir.file('old.json');
    const old = {
      format: 'nestjs-precompute/1',
      entries: { 'GET /report?region=EU': { computedAt: '2026-01-01T00:00:00.000Z', value: { region: 'EU', edited: true } } },
    };
    writeFileSync(cacheFile, JSON.stringify(old, null, 2));
    const logger = new MemoryLogger();
    const app = await createTestApp({
      adapter,
      logger,
      precompute: cacheFile,
      controllers: [ReportController],
      configure: (nest) => nest.enableVersioning({ type: VersioningType.URI }),
    });
    try {
      expect(logger.precompute().join('\n')).toContain('1 entry of GET /report in');
      await request(app.getHttpServer()).get('/v1/report?region=EU').expect(200, { region: 'EU' });
      await app.close();
      const entries = (JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries;
      expect(Object.keys(entries).sort()).toEqual(['GET /report?region=EU', 'GET /v1/report?region=EU']);
    } finally {
      await app.close();
    }
  });
});
