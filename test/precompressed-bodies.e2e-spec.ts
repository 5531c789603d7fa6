import 'reflect-metadata';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import fastifyCompress from '@fastify/compress';
import { Controller, Get, Header, Injectable, ParseEnumPipe, Query, UseGuards, type CanActivate, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import compression from 'compression';
import type { Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Precomputed, type PrecomputeModuleOptions } from '../lib';
import { ADAPTERS, MemoryLogger, createTestApp, type AdapterName } from './helpers/test-app';
import { rawRequest, type RawResponse } from './helpers/raw-http';
import { tempDir } from './helpers/temp-dir';

enum Kind {
  A = 'a',
  B = 'b',
}

/** About 6 KB of JSON: above the 1 KB threshold. */
const report = (kind: Kind) => ({ kind, rows: Array.from({ length: 80 }, (_, i) => ({ store: `store-${i}`, revenue: 1000 + i * (kind === Kind.A ? 7 : 11) })) });

@Injectable()
class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller()
class ReportController {
  @Get('big')
  @Precomputed()
  big(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return report(kind);
  }

  /** The same body, but a guard keeps its hits on the interceptor. */
  @Get('guarded')
  @UseGuards(AllowGuard)
  @Precomputed()
  guarded(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return report(kind);
  }

  @Get('text')
  @Header('Content-Type', 'text/csv')
  @Precomputed()
  text(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return report(kind).rows.map((row) => `${row.store},${row.revenue}`).join('\n');
  }

  @Get('small')
  @Precomputed()
  small(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return { kind };
  }

  @Get('bytes')
  @Precomputed()
  bytes(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return Buffer.from(JSON.stringify(report(kind)));
  }

  /** Varies on a header of its own: Accept-Encoding is added to it, never put in its place. */
  @Get('localized')
  @Header('Vary', 'Accept-Language')
  @Precomputed()
  localized(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return report(kind);
  }

  @Get('localized-guarded')
  @UseGuards(AllowGuard)
  @Header('Vary', 'Accept-Language')
  @Precomputed()
  localizedGuarded(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    return report(kind);
  }
}

const dir = tempDir();
afterAll(() => dir.cleanup());
let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(
  adapter: AdapterName,
  appCompression: boolean,
  precompute: Partial<PrecomputeModuleOptions> = {},
  cors = false,
): Promise<{ server: Server; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  app = await createTestApp({
    adapter,
    logger,
    controllers: [ReportController],
    providers: [AllowGuard],
    precompute: { cacheFile: dir.file(`${adapter}-${appCompression}-${Object.keys(precompute).join('-')}.json`), ...precompute },
    configure: (target) => {
      // CORS with a list of origins varies on Origin (the cors package on Express, @fastify/cors on Fastify)
      if (cors) target.enableCors({ origin: ['https://reports.example', 'https://dashboards.example'] });
      if (!appCompression) return;
      // The app's own compression, registered as apps do it in main.ts, before listen()
      if (adapter === 'express') target.use(compression());
      else void (target as NestFastifyApplication).register(fastifyCompress);
    },
  });
  return { server: app.getHttpServer() as Server, logger };
}

function decode(response: RawResponse): Buffer {
  switch (response.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(response.body);
    case 'gzip':
      return gunzipSync(response.body);
    case undefined:
      return response.body;
    default:
      throw new Error(`unexpected Content-Encoding ${String(response.headers['content-encoding'])}`);
  }
}

/** The body Nest sends live (a query key outside the domain runs the handler), uncompressed. */
async function live(server: Server, path: string): Promise<RawResponse> {
  return rawRequest(server, `${path}${path.includes('?') ? '&' : '?'}live=1`, { 'accept-encoding': 'identity' });
}

const CONFIGURATIONS = ADAPTERS.flatMap((adapter) => [false, true].map((appCompression) => [adapter, appCompression] as const));

describe.each(CONFIGURATIONS)('precompressed bodies (%s, app compression: %s)', (adapter, appCompression) => {
  it.each(['/big?kind=a', '/guarded?kind=b', '/text?kind=a'])('%s: each accepted encoding decodes to the live bytes, with its own ETag, Vary and 304', async (path) => {
    const { server, logger } = await start(adapter, appCompression);
    expect(logger.precompute().join('\n')).toContain(`ReportController.guarded (GET /guarded): hits are answered by the interceptor`);
    expect(logger.precompute().join('\n')).toContain(`ReportController.big (GET /big): hits are answered early`);
    const expected = await live(server, path);
    expect(expected.status).toBe(200);
    expect(expected.headers['content-encoding']).toBeUndefined();
    const cases: Array<[string | undefined, string | undefined]> = [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip;q=0, br;q=0', undefined],
      ['identity', undefined],
      [undefined, undefined],
      ['*', 'br'],
    ];
    const etags = new Map<string | undefined, string>();
    // First request: the encoding is made; second: it is served as made
    for (let round = 0; round < 2; round++) {
      for (const [accept, encoding] of cases) {
        const headers: Record<string, string> = accept === undefined ? {} : { 'accept-encoding': accept };
        const hit = await rawRequest(server, path, headers);
        const what = `${path} with Accept-Encoding ${String(accept)} (round ${round + 1})`;
        expect([what, hit.status]).toEqual([what, 200]);
        expect([what, hit.headers['content-encoding']]).toEqual([what, encoding]);
        expect([what, decode(hit).equals(expected.body)]).toEqual([what, true]);
        expect([what, hit.headers['content-type']]).toEqual([what, expected.headers['content-type']]);
        expect([what, hit.headers.vary?.toLowerCase()]).toEqual([what, 'accept-encoding']);
        expect([what, hit.headers['content-length']]).toEqual([what, String(hit.body.length)]);
        const etag = hit.headers.etag as string;
        expect(etag).toMatch(/^"[^"]+"$/);
        if (etags.has(encoding)) expect(etags.get(encoding)).toBe(etag);
        etags.set(encoding, etag);
        // 304 for this representation, and only for it
        const revalidated = await rawRequest(server, path, { ...headers, 'if-none-match': etag });
        expect([what, revalidated.status, revalidated.body.length]).toEqual([what, 304, 0]);
        const other = await rawRequest(server, path, { 'accept-encoding': encoding === 'gzip' ? 'br' : 'gzip', 'if-none-match': etag });
        expect([what, other.status]).toEqual([what, 200]);
        // HEAD: the same headers, no body
        const head = await rawRequest(server, path, headers, 'HEAD');
        expect([what, head.status, head.headers['content-encoding'], head.headers.etag, head.body.length]).toEqual([what, 200, encoding, etag, 0]);
        expect([what, head.headers['content-length']]).toEqual([what, String(hit.body.length)]);
      }
    }
    expect(new Set(etags.values()).size).toBe(3);
  });

  it.each([
    ['/localized?kind=a', 'early', false, ['accept-language', 'accept-encoding']],
    ['/localized-guarded?kind=b', 'interceptor', false, ['accept-language', 'accept-encoding']],
    ['/big?kind=a', 'early', true, ['origin', 'accept-encoding']],
    ['/guarded?kind=b', 'interceptor', true, ['origin', 'accept-encoding']],
  ] as const)('%s (%s path, CORS: %s): Vary keeps what the route or CORS varies on and adds Accept-Encoding once', async (path, _path, cors, expected) => {
    const { server } = await start(adapter, appCompression, {}, cors);
    const fields = (vary: unknown) =>
      String(vary)
        .split(',')
        .map((field) => field.trim().toLowerCase());
    for (let round = 0; round < 2; round++) {
      for (const accept of ['br', 'gzip', 'deflate', 'identity']) {
        const headers = { 'accept-encoding': accept, origin: 'https://reports.example' };
        const hit = await rawRequest(server, path, headers);
        const what = `${path} with Accept-Encoding ${accept} (round ${round + 1})`;
        expect([what, hit.status, fields(hit.headers.vary)]).toEqual([what, 200, expected]);
        if (cors) expect([what, hit.headers['access-control-allow-origin']]).toEqual([what, 'https://reports.example']);
        const revalidated = await rawRequest(server, path, { ...headers, 'if-none-match': hit.headers.etag as string });
        expect([what, revalidated.status, fields(revalidated.headers.vary)]).toEqual([what, 304, expected]);
      }
    }
  });

  it('leaves a body under the threshold and a Buffer to the app, and compress: false turns it off', async () => {
    const { server } = await start(adapter, appCompression);
    const small = await rawRequest(server, '/small?kind=a', { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(decode(small).toString()).toBe('{"kind":"a"}');
    const bytes = await rawRequest(server, '/bytes?kind=a', { 'accept-encoding': 'br' });
    // Never compressed twice: at most the app's own encoding, which decodes to the live bytes
    expect(decode(bytes).equals((await live(server, '/bytes?kind=a')).body)).toBe(true);
    if (!appCompression) expect(bytes.headers['content-encoding']).toBeUndefined();
    await app?.close();
    const off = await start(adapter, appCompression, { compress: false });
    const big = await rawRequest(off.server, '/big?kind=a', { 'accept-encoding': 'br' });
    const identity = await live(off.server, '/big?kind=a');
    expect(decode(big).equals(identity.body)).toBe(true);
    // Without the module's encodings, only the app's compression may encode (and then with the app's own choice)
    if (!appCompression) expect(big.headers['content-encoding']).toBeUndefined();
  });
});
