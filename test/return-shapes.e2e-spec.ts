import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { PrecomputeService } from '../lib';
import { CachedShapesController, SHAPE_PATHS, shapeCalls, ShapesModule } from './fixtures/return-shapes.controllers';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const CONFIGURATIONS = ADAPTERS.flatMap((adapter) => [false, true].map((earlyHits) => [adapter, earlyHits] as const));
/** What must be equal between a cached and a live answer (the ETag is ours: strong, from the body). */
const COMPARED = ['content-type', 'content-disposition', 'content-length', 'transfer-encoding'] as const;

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

async function fetch(app: INestApplication, method: 'get' | 'head', path: string): Promise<Answer> {
  const response = await request(app.getHttpServer())
    [method](path)
    // Identity, so the bytes compare with the live answer (encodings: precompressed-bodies.e2e-spec.ts)
    .set('Accept-Encoding', 'identity')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  // supertest parses no body for HEAD
  const body = Buffer.isBuffer(response.body) ? response.body : Buffer.alloc(0);
  return { status: response.status, headers: response.headers as Record<string, string | undefined>, body };
}

function comparable(answer: Answer) {
  return { status: answer.status, body: answer.body.toString('latin1'), ...Object.fromEntries(COMPARED.map((name) => [name, answer.headers[name]])) };
}

describe.each(CONFIGURATIONS)('return shapes (%s, earlyHits: %s)', (adapter: AdapterName, earlyHits: boolean) => {
  const dir = tempDir();
  const cacheFile = dir.file('cache.json');
  let app: INestApplication;
  const start = (startup: 'blocking' | 'off') =>
    createTestApp({ adapter, precompute: { cacheFile, earlyHits, startup, progress: false }, imports: [ShapesModule] });
  beforeAll(async () => {
    app = await start('blocking');
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });

  it.each(SHAPE_PATHS)('GET /%s: the cached answer is the live one, without calling the handler', async (path) => {
    shapeCalls.reset();
    const cached = await fetch(app, 'get', `/shapes/${path}`);
    const live = await fetch(app, 'get', `/live/${path}`);
    expect(comparable(cached)).toEqual(comparable(live));
    expect(cached.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(shapeCalls.count()).toBe(0);
    // The early path answers every shape but a file of unknown length (sent chunked), which Nest's route serves from the cache
    const early = earlyHits && path !== 'file-stream';
    // On Fastify, Nest's middleware runs in an onRequest hook of its own, which may come first: the marker proves nothing there
    if (adapter === 'express')
    expect(cached.headers['x-through-nest']).toBe(early ? undefined : 'yes');
  });

  it.each(SHAPE_PATHS)('HEAD /%s: the status and headers of GET, no body, no handler call', async (path) => {
    shapeCalls.reset();
    const head = await fetch(app, 'head', `/shapes/${path}`);
    const get = await fetch(app, 'get', `/shapes/${path}`);
    const liveHead = await fetch(app, 'head', `/live/${path}`);
    expect(head.body.length).toBe(0);
    expect(head.status).toBe(get.status);
    for (const name of ['content-type', 'content-disposition', 'etag'] as const) expect(head.headers[name]).toBe(get.headers[name]);
    expect(comparable(head)).toEqual(comparable(liveHead));
    expect(shapeCalls.count()).toBe(0);
  });

  it('answers If-None-Match with 304 for every shape; a 4xx answer ignores it (RFC 9110 13.2.1)', async () => {
    for (const path of SHAPE_PATHS) {
      const { status, headers } = await fetch(app, 'get', `/shapes/${path}`);
      // The identity representation's tag (each encoding has its own)
      await request(app.getHttpServer()).get(`/shapes/${path}`).set('Accept-Encoding', 'identity').set('If-None-Match', headers.etag!).expect(status === 200 ? 304 : status);
    }
  });

  it('keeps text readable in the file, says how binary bodies are encoded, and never stores a 5xx', () => {
    const entries = JSON.parse(readFileSync(cacheFile, 'utf8')).entries as Record<string, Record<string, unknown>>;
    expect(entries['GET /shapes/csv']).toMatchObject({ kind: 'text', value: 'region,total\nEMEA,12\nAPAC,7\n' });
    expect(entries['GET /shapes/date']).toMatchObject({ value: '2026-01-02T03:04:05.000Z' });
    expect(entries['GET /shapes/date'].kind).toBeUndefined();
    expect(entries['GET /shapes/object'].value).toEqual({ name: 'report', total: 12.5, when: '2026-01-02T03:04:05.000Z', nested: { list: [1, 2] } });
    expect(entries['GET /shapes/buffer']).toMatchObject({ kind: 'buffer', encoding: 'base64', value: Buffer.from([0, 1, 2, 250, 255]).toString('base64') });
    expect(entries['GET /shapes/file']).toMatchObject({ kind: 'file', contentType: 'application/pdf', contentDisposition: 'attachment; filename="report.pdf"', encoding: 'base64' });
    expect(entries['GET /shapes/file-stream']).toMatchObject({ kind: 'file', contentType: 'text/plain', value: 'chunk-1,chunk-2' });
    expect(entries['GET /shapes/file-stream'].encoding).toBeUndefined();
    expect(entries['GET /shapes/missing?store=s2']).toMatchObject({ status: 404, value: { statusCode: 404, message: 'no data for store s2', error: 'Not Found' } });
  });

  it('counts a 4xx answer as "answered 404", not as a failure', async () => {
    const service = app.get(PrecomputeService);
    const summary = await service.whenReady();
    expect(summary.failed).toBe(0);
    expect(summary.answered).toEqual({ 404: 1 });
    const missing = service.status().find((status) => status.handler === 'ShapesController.missing' && status.route.includes('/shapes'));
    expect(missing).toMatchObject({ total: 2, cached: 2, failed: 0, answered: { 404: 1 } });
    expect(service.get(CachedShapesController, 'missing', { store: 's2' })).toEqual({ statusCode: 404, message: 'no data for store s2', error: 'Not Found' });
  });

  it('a 4xx answer missing from the cache runs once, live, and is then served from the cache', async () => {
    const service = app.get(PrecomputeService);
    expect(await service.invalidate({ controller: CachedShapesController, method: 'missing', params: { store: 's2' } })).toBe(1);
    shapeCalls.reset();
    const first = await fetch(app, 'get', '/shapes/missing?store=s2');
    const second = await fetch(app, 'get', '/shapes/missing?store=s2');
    expect(first.status).toBe(404);
    expect(comparable(second)).toEqual(comparable(first));
    expect(shapeCalls.all()).toEqual(['missing']);
  });

  it('a restart serves every shape from the file alone (startup off)', async () => {
    await app.close();
    app = await start('off');
    shapeCalls.reset();
    for (const path of SHAPE_PATHS) {
      expect(comparable(await fetch(app, 'get', `/shapes/${path}`))).toEqual(comparable(await fetch(app, 'get', `/live/${path}`)));
    }
    expect(shapeCalls.count()).toBe(0);
  });
});
