import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, ParseEnumPipe, Query, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import request from 'supertest';
import { Precomputed } from '../lib';
import { CallLog } from './helpers/call-log';
import { createTestApp } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Kind {
  A = 'a',
  B = 'b',
}
const calls = new CallLog();

@Controller('early')
class EarlyController {
  @Get()
  @Precomputed()
  get(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    calls.record(kind);
    return { kind };
  }
}

/** Middleware another module registers through configure(): it runs after PrecomputeModule's. */
@Injectable()
class LateMiddleware implements NestMiddleware {
  use(_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void): void {
    response.setHeader('X-Late-Middleware', 'ran');
    next();
  }
}
@Module({ controllers: [EarlyController] })
class FeatureModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LateMiddleware).forRoutes(EarlyController);
  }
}

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('earlyHits on Express', () => {
  it('answers hits before Nest: middleware registered later by other modules is skipped on hits, and only on hits', async () => {
    for (const earlyHits of [false, true]) {
      calls.reset();
      const app = await createTestApp({ precompute: { cacheFile: dir.file(`early-${earlyHits}.json`), earlyHits }, imports: [FeatureModule] });
      const hit = await request(app.getHttpServer()).get('/early?kind=a').expect(200, { kind: 'a' });
      expect(hit.headers['x-late-middleware']).toBe(earlyHits ? undefined : 'ran');
      // Not a combination: Nest's pipeline, with every middleware
      const live = await request(app.getHttpServer()).get('/early?kind=a&extra=1').expect(200, { kind: 'a' });
      expect(live.headers['x-late-middleware']).toBe('ran');
      expect(calls.all()).toEqual(['a', 'b', 'a']);
      await app.close();
    }
  });
});
