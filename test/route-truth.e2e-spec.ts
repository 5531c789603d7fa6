/**
 * Route truth, the "Done when" suite in one file (longer than most, on
 * purpose): one realistic app (fixtures/route-truth.app.ts) on Express and
 * Fastify, URI and header versioning, earlyHits off and on, each precomputed
 * URL checked against the same app answering live.
 */
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VersioningType, type INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import {
  calls,
  configureLikeMain,
  MarkerModule,
  NEST_MARK,
  routeTruthControllers,
  routeTruthImports,
  TOKEN,
  VERSION_HEADER,
  type VersioningKind,
} from './fixtures/route-truth.app';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

interface Probe {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}
const v = (version: string) => ({ [VERSION_HEADER]: version });
const auth = { authorization: TOKEN };

/** Every precomputed URL of the app, with what a client sends to reach it. */
const PRECOMPUTED: Record<VersioningKind, readonly Probe[]> = {
  uri: [
    { url: '/api/v1/report?region=EU' },
    { url: '/api/v1/report?region=US' },
    { url: '/api/v2/report?region=EU' },
    { url: '/api/v2/report?currency=USD&region=US' },
    { url: '/api/v1/admin/payroll?region=EU', headers: auth },
    { url: '/api/v1/hr/payroll?region=EU' },
    { url: '/api/v1/hr/payroll?region=US' },
    { url: '/status' },
  ],
  header: [
    { url: '/api/report?region=EU', headers: v('1') },
    { url: '/api/report?region=US', headers: v('1') },
    { url: '/api/report?region=EU', headers: v('2') },
    { url: '/api/report?currency=USD&region=US', headers: v('2') },
    { url: '/api/admin/payroll?region=EU', headers: { ...v('1'), ...auth } },
    { url: '/api/hr/payroll?region=EU', headers: v('1') },
    { url: '/api/hr/payroll?region=US', headers: v('1') },
    { url: '/status' },
  ],
};

/** URLs Nest routes to no handler: near misses of the precomputed ones (no prefix, no module path, wrong version, excluded path under the prefix). */
const WRONG: Record<VersioningKind, readonly Probe[]> = {
  uri: [
    { url: '/report?region=EU' },
    { url: '/api/report?region=EU' },
    { url: '/v1/report?region=EU' },
    { url: '/api/v3/report?region=EU' },
    { url: '/payroll?region=EU' },
    { url: '/api/v1/payroll?region=EU' },
    { url: '/api/v2/hr/payroll?region=EU' },
    { url: '/api/status' },
    { url: '/api/v1/status' },
  ],
  header: [
    { url: '/report?region=EU', headers: v('1') },
    { url: '/api/report?region=EU' },
    { url: '/api/report?region=EU', headers: v('3') },
    { url: '/payroll?region=EU', headers: v('1') },
    { url: '/api/payroll?region=EU', headers: v('1') },
    { url: '/api/hr/payroll?region=EU', headers: v('2') },
    { url: '/api/status' },
  ],
};

const ADMIN: Record<VersioningKind, Probe> = {
  uri: { url: '/api/v1/admin/payroll?region=EU' },
  header: { url: '/api/admin/payroll?region=EU', headers: v('1') },
};

const KEYS: Record<VersioningKind, readonly string[]> = {
  uri: [
    ...['EU', 'US'].flatMap((region) => [
      `GET /api/v1/report?region=${region}`,
      `GET /api/v2/report?region=${region}`,
      `GET /api/v2/report?currency=EUR&region=${region}`,
      `GET /api/v2/report?currency=USD&region=${region}`,
      `GET /api/v1/admin/payroll?region=${region}`,
      `GET /api/v1/hr/payroll?region=${region}`,
    ]),
    'GET /status',
  ],
  header: [
    ...['EU', 'US'].flatMap((region) => [
      `GET /api/report?region=${region} -H 'X-API-Version: 1'`,
      `GET /api/report?region=${region} -H 'X-API-Version: 2'`,
      `GET /api/report?currency=EUR&region=${region} -H 'X-API-Version: 2'`,
      `GET /api/report?currency=USD&region=${region} -H 'X-API-Version: 2'`,
      `GET /api/admin/payroll?region=${region} -H 'X-API-Version: 1'`,
      `GET /api/hr/payroll?region=${region} -H 'X-API-Version: 1'`,
    ]),
    'GET /status',
  ],
};

const MATRIX = ADAPTERS.flatMap((adapter) =>
  (['uri', 'header'] as const).flatMap((versioning) => [false, true].map((earlyHits) => [adapter, versioning, earlyHits] as const)),
);

function send(app: INestApplication, probe: Probe, method: 'get' | 'head' = 'get') {
  const pending = request(app.getHttpServer())[method](probe.url);
  for (const [name, value] of Object.entries(probe.headers ?? {})) pending.set(name, value);
  return pending;
}

function startApp(adapter: AdapterName, versioning: VersioningKind, cacheFile: string, extra: Record<string, unknown>) {
  return createTestApp({
    adapter,
    precompute: { cacheFile, ignoreQueryParams: ['utm_*'], ...extra },
    controllers: routeTruthControllers,
    imports: adapter === 'express' ? [MarkerModule, ...routeTruthImports] : routeTruthImports,
    configure: (app) => configureLikeMain(app, versioning),
  });
}

describe.each(MATRIX)('route truth (%s, %s versioning, earlyHits: %s)', (adapter, versioning, earlyHits) => {
  const dir = tempDir();
  const cacheFile = dir.file('cache.json');
  let app: INestApplication;
  /** The same app answering everything live: what Nest itself sends. */
  let live: INestApplication;
  beforeAll(async () => {
    app = await startApp(adapter, versioning, cacheFile, { earlyHits });
    live = await startApp(adapter, versioning, dir.file('live.json'), { startup: 'off', persistLiveResults: false });
  });
  afterAll(async () => {
    await app.close();
    await live.close();
    dir.cleanup();
  });

  it('keys are the routes Nest registered: prefix, exclusion, versions and RouterModule paths, none colliding', () => {
    const file = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { value: unknown }> };
    expect(Object.keys(file.entries).sort()).toEqual([...KEYS[versioning]].sort());
    expect(JSON.stringify(file.entries)).not.toContain('hunter2');
  });

  it('every precomputed URL answers from the cache what the live app sends, without calling the handler', async () => {
    for (const probe of PRECOMPUTED[versioning]) {
      calls.reset();
      const cached = await send(app, probe);
      expect({ probe, calls: calls.all() }).toEqual({ probe, calls: [] });
      const fresh = await send(live, probe);
      expect(calls.count()).toBe(1);
      expect({ probe, status: cached.status, type: cached.headers['content-type'], body: cached.text }).toEqual({
        probe,
        status: fresh.status,
        type: fresh.headers['content-type'],
        body: fresh.text,
      });
      expect(cached.status).toBe(200);
      expect(cached.headers.etag).toBeDefined();
      // earlyHits answers before Nest's middleware, and only then
      expect({ probe, early: cached.headers[NEST_MARK] === undefined }).toEqual({ probe, early: earlyHits });
    }
  });

  it('each version of one path gets its own answer', async () => {
    const [first, , second] = PRECOMPUTED[versioning];
    const one = await send(app, first).expect(200);
    const two = await send(app, second).expect(200);
    expect(one.body).toEqual({ version: 1, region: 'EU' });
    expect(two.body).toEqual({ version: 2, region: 'EU', currency: null, query: true });
  });

  it("a URL Nest does not route gets Nest's own 404, on the first request and the second", async () => {
    calls.reset();
    for (const probe of WRONG[versioning]) {
      const expected = await send(live, probe);
      expect({ probe, status: expected.status }).toEqual({ probe, status: 404 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await send(app, probe);
        expect({ probe, attempt, status: answer.status, body: answer.text }).toEqual({ probe, attempt, status: 404, body: expected.text });
      }
    }
    expect(calls.all()).toEqual([]);
  });

  it('the path-scoped auth middleware still answers 401 for a cached admin URL, first and second time', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const denied = await send(app, ADMIN[versioning]);
      expect({ attempt, status: denied.status, body: denied.body as unknown }).toEqual({
        attempt,
        status: 401,
        body: { statusCode: 401, message: 'auth middleware' },
      });
    }
    const allowed = await send(app, { ...ADMIN[versioning], headers: { ...ADMIN[versioning].headers, ...auth } }).expect(200);
    expect(allowed.body).toEqual([{ name: 'admin-EU', team: 'admin' }]);
  });

  it('ignoreQueryParams: ignored keys neither change the key nor defeat the cache; others still run live', async () => {
    const [v1, , v2] = PRECOMPUTED[versioning];
    const plain = await send(app, v1).expect(200);
    calls.reset();
    const tracked = await send(app, { ...v1, url: `${v1.url}&utm_source=news&utm_medium=mail` }).expect(200);
    expect(tracked.text).toBe(plain.text);
    const busted = await send(app, { ...v2, url: `${v2.url}&_=1700000000` }).expect(200);
    expect(busted.body).toEqual({ version: 2, region: 'EU', currency: null, query: true });
    expect(calls.all()).toEqual([]);
    // Not ignored: the handler might read it, so it runs live (and `_` is ignored by v2 only)
    await send(app, { ...v1, url: `${v1.url}&ref=x` }).expect(200);
    await send(app, { ...v1, url: `${v1.url}&_=1` }).expect(200);
    expect(calls.all()).toEqual(['report.v1 EU', 'report.v1 EU']);
  });
});

describe.each(ADAPTERS)('HEAD on the early path (%s)', (adapter) => {
  const dir = tempDir();
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApp(adapter, 'uri', dir.file('cache.json'), { earlyHits: true });
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });

  it('has the status and headers of GET (Content-Length, Content-Type, ETag), no body, and calls no handler', async () => {
    for (const probe of PRECOMPUTED.uri) {
      const get = await send(app, probe).expect(200);
      calls.reset();
      const head = await send(app, probe, 'head');
      expect(calls.all()).toEqual([]);
      expect(head.headers[NEST_MARK]).toBeUndefined();
      const pick = (headers: Record<string, string>) => ({
        status: 200,
        length: headers['content-length'],
        type: headers['content-type'],
        etag: headers.etag,
      });
      expect({ probe, ...pick(head.headers as Record<string, string>), status: head.status }).toEqual({
        probe,
        ...pick(get.headers as Record<string, string>),
      });
      expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(get.text));
      expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(head.text ?? '').toBe('');
    }
  });
});

describe.each(ADAPTERS)('missing validation (%s)', (adapter) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  const start = async (withValidation: boolean) => {
    const logger = new MemoryLogger();
    const app = await createTestApp({
      adapter,
      logger,
      precompute: dir.file(`cache-${withValidation}.json`),
      controllers: routeTruthControllers,
      configure: (nest) => {
        nest.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
        if (withValidation) configureLikeMain(nest, 'uri');
      },
    });
    await app.close();
    return logger.lines.filter((line) => line.includes('not validated'));
  };

  it('warns once per handler whose DTO no ValidationPipe validates, with the fix', async () => {
    const warnings = await start(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('WARN [Precompute] ReportController.v2: @Query() ReportQuery is not validated');
    expect(warnings[0]).toContain('app.useGlobalPipes(new ValidationPipe({ transform: true }))');
  });

  it('says nothing when a global ValidationPipe is set', async () => {
    expect(await start(true)).toEqual([]);
  });
});
