import 'reflect-metadata';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ClassSerializerInterceptor, type INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { calls, FidelityController, SecureController, WrappedController } from './fixtures/serving.controllers';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const CONFIGURATIONS = ADAPTERS.flatMap((adapter) => [false, true].map((earlyHits) => [adapter, earlyHits] as const));

describe.each(CONFIGURATIONS)('serving from the cache (%s, earlyHits: %s)', (adapter: AdapterName, earlyHits: boolean) => {
  const dir = tempDir();
  const cacheFile = dir.file('cache.json');
  const start = (): Promise<INestApplication> =>
    createTestApp({
      adapter,
      precompute: { cacheFile, earlyHits },
      controllers: [SecureController, FidelityController, WrappedController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: ClassSerializerInterceptor }],
    });
  let app: INestApplication;
  beforeEach(async () => {
    app = await start();
    calls.reset();
  });
  afterEach(() => app.close());
  afterAll(() => dir.cleanup());

  it('guards still run before a cached answer', async () => {
    await request(app.getHttpServer()).get('/secure?region=EMEA').expect(403);
    const ok = await request(app.getHttpServer()).get('/secure?region=EMEA').set('x-token', 'secret').expect(200);
    expect(ok.body).toEqual({ region: 'EMEA', secret: true });
    expect(calls.count()).toBe(0);
  });

  it('a cached body is byte-for-byte what the live handler sends (ClassSerializerInterceptor, Dates, undefined)', async () => {
    for (const region of ['EMEA', 'APAC']) {
      const cached = await request(app.getHttpServer()).get(`/fidelity/cached?region=${region}`).expect(200);
      const live = await request(app.getHttpServer()).get(`/fidelity/live?region=${region}`).expect(200);
      expect(cached.text).toBe(live.text);
      expect(cached.headers['content-type']).toBe(live.headers['content-type']);
      expect(cached.body.label).toBe(`report-${region}`);
      expect(cached.body.generatedAt).toBe('2026-01-02T03:04:05.000Z');
      expect(cached.text).not.toContain('secret-cost');
    }
    expect(calls.count()).toBe(0);
  });

  it('@Exclude() fields never reach the cache file', () => {
    const text = readFileSync(cacheFile, 'utf8');
    expect(text).toContain('report-EMEA');
    expect(text).not.toContain('secret-cost');
    expect(text).not.toContain('internalCost');
  });

  it('other interceptors still wrap a cached answer as they wrap a live one', async () => {
    const cached = await request(app.getHttpServer()).get('/wrapped/cached?region=APAC').expect(200);
    const live = await request(app.getHttpServer()).get('/wrapped/live?region=APAC').expect(200);
    expect(cached.text).toBe(live.text);
    expect(cached.body.wrapped).toBe(true);
    expect(calls.count()).toBe(0);
  });

  it('@HttpCode and @Header apply to cached answers', async () => {
    const res = await request(app.getHttpServer()).get('/fidelity/created').expect(202);
    expect(res.headers['x-report']).toBe('yes');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ created: true });
    expect(calls.count()).toBe(0);
  });

  it('a string result is sent as the live handler sends it', async () => {
    const cached = await request(app.getHttpServer()).get('/fidelity/text').expect(200);
    const live = await request(app.getHttpServer()).get('/fidelity/text-live').expect(200);
    expect(cached.text).toBe('plain text');
    expect(cached.text).toBe(live.text);
    expect(cached.headers['content-type']).toBe(live.headers['content-type']);
    expect(calls.count()).toBe(0);
  });

  it('an Observable-returning handler is cached as the value Nest sends live', async () => {
    const cached = await request(app.getHttpServer()).get('/fidelity/observable?region=APAC').expect(200);
    const live = await request(app.getHttpServer()).get('/fidelity/observable-live?region=APAC').expect(200);
    expect(cached.text).toBe(live.text);
    expect(cached.body).toEqual({ region: 'APAC', from: 'observable' });
    expect(calls.count()).toBe(0);
  });

  it('HEAD gets the headers without the body', async () => {
    const res = await request(app.getHttpServer()).head('/fidelity/cached?region=EMEA').expect(200);
    expect(res.headers.etag).toMatch(/^"/);
    expect(res.text ?? '').toBe('');
    expect(calls.count()).toBe(0);
  });

  it('ETag is derived from the body, survives a restart, and If-None-Match gets 304', async () => {
    const first = await request(app.getHttpServer()).get('/fidelity/cached?region=EMEA').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    expect(first.headers['last-modified']).toBeDefined();
    await app.close();
    app = await start();
    const again = await request(app.getHttpServer()).get('/fidelity/cached?region=EMEA').expect(200);
    expect(again.headers.etag).toBe(etag);
    const notModified = await request(app.getHttpServer())
      .get('/fidelity/cached?region=EMEA')
      .set('If-None-Match', etag)
      .expect(304);
    expect(notModified.text).toBe('');
    const other = await request(app.getHttpServer()).get('/fidelity/cached?region=APAC').expect(200);
    expect(other.headers.etag).not.toBe(etag);
    expect(calls.count()).toBe(0);
  });
});
