import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Param, ParseEnumPipe, Query, Version, VersioningType, type INestApplication, type VersioningOptions } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

/** Media-type and custom versioning, one handler with two versions, and a precomputed route another route shadows. */
enum Region {
  EU = 'EU',
}
const calls = new CallLog();

@Controller('report')
class ReportController {
  @Get()
  @Version('1')
  @Precomputed()
  v1(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record('v1');
    return { version: 1, region };
  }

  @Get()
  @Version(['2', '3'])
  @Precomputed()
  v2(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    calls.record('v2');
    return { version: '2 or 3', region };
  }
}

/** Declared first, `:id` takes /items/special on Express (registration order); Fastify prefers the static route. */
@Controller('items')
class ItemsController {
  @Get(':id')
  one(@Param('id') id: string) {
    calls.record(`item ${id}`);
    return { item: id };
  }

  @Get('special')
  @Precomputed()
  special() {
    calls.record('special');
    return { special: true };
  }
}

const VERSIONINGS: Record<string, { options: VersioningOptions; headers: (version: string) => Record<string, string>; label: (version: string) => string }> = {
  'media type': {
    options: { type: VersioningType.MEDIA_TYPE, key: 'v=' },
    headers: (version) => ({ accept: `application/json;v=${version}` }),
    label: (version) => ` -H 'Accept: application/json;v=${version}'`,
  },
  custom: {
    options: { type: VersioningType.CUSTOM, extractor: (request: unknown) => String((request as { headers: Record<string, string> }).headers['x-version'] ?? '') },
    headers: (version) => ({ 'x-version': version }),
    label: (version) => ` [version ${version}]`,
  },
};
const MATRIX = ADAPTERS.flatMap((adapter) => Object.keys(VERSIONINGS).flatMap((kind) => [false, true].map((earlyHits) => [adapter, kind, earlyHits] as const)));

describe.each(MATRIX)('%s, %s versioning, earlyHits: %s', (adapter: AdapterName, kind: string, earlyHits: boolean) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());
  const versioning = VERSIONINGS[kind];

  it('precomputes every version of one path under its own key and serves each to its own version only', async () => {
    const cacheFile = dir.file('cache.json');
    // Entries of one handler's two versions told apart by hand-written values: each request must get its own
    const seeded = Object.fromEntries(
      ['2', '3'].map((version) => [`GET /report?region=EU${versioning.label(version)}`, { computedAt: '2026-01-01T00:00:00.000Z', value: { seeded: version } }]),
    );
    writeFileSync(cacheFile, JSON.stringify({ format: 'nestjs-precompute/1', entries: seeded }));
    const app: INestApplication = await createTestApp({
      adapter,
      precompute: { cacheFile, earlyHits },
      controllers: [ReportController],
      configure: (nest) => nest.enableVersioning(versioning.options),
    });
    try {
      const keys = Object.keys((JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries).sort();
      expect(keys).toEqual(['1', '2', '3'].map((version) => `GET /report?region=EU${versioning.label(version)}`).sort());
      calls.reset();
      for (const [version, body] of [['1', { version: 1, region: 'EU' }], ['2', { seeded: '2' }], ['3', { seeded: '3' }]] as const) {
        await request(app.getHttpServer()).get('/report?region=EU').set(versioning.headers(version)).expect(200, body);
      }
      expect(calls.all()).toEqual([]);
      await request(app.getHttpServer()).get('/report?region=EU').set(versioning.headers('4')).expect(404);
      expect(calls.all()).toEqual([]);
      // status() tells the versions of one path apart, as the keys do
      const routes = app.get(PrecomputeService).status().map((status) => status.route);
      expect(routes.sort()).toEqual(['1', '2', '3'].map((version) => `GET /report${versioning.label(version)}`).sort());
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('a precomputed route another route may take (%s)', (adapter) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('is answered early only where Nest routes to it: the same answer as without earlyHits', async () => {
    const answers: unknown[] = [];
    for (const earlyHits of [false, true]) {
      const app = await createTestApp({ adapter, precompute: { cacheFile: dir.file(`items-${earlyHits}.json`), earlyHits }, controllers: [ItemsController] });
      try {
        calls.reset();
        const answer = await request(app.getHttpServer()).get('/items/special').expect(200);
        answers.push({ body: answer.body as unknown, calls: [...calls.all()] });
      } finally {
        await app.close();
      }
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toEqual(adapter === 'express' ? { body: { item: 'special' }, calls: ['item special'] } : { body: { special: true }, calls: [] });
  });
});

@Controller('orphan')
class NoRouteController {
  @Precomputed()
  helper() {
    return { never: 'routed' };
  }
}

describe('a @Precomputed() method Nest registers no route for', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('is refused at startup, naming it and the fix', async () => {
    await expect(createTestApp({ precompute: dir.file('none.json'), controllers: [NoRouteController] })).rejects.toThrow(
      'NoRouteController.helper: Nest registers no route for it',
    );
  });
});
