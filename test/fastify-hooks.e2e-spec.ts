/**
 * Fastify hooks an app adds to its instance (main.ts: `fastify.addHook(...)`
 * before `listen()`) run for every route, precomputed ones included: a hit
 * answered early must not skip one, whatever its phase. Real Fastify, real HTTP.
 */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Precomputed } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ params: { region: ['EMEA', 'APAC'] } })
  get(@Query('region') region: string) {
    return { region };
  }
}

type Request = { headers: Record<string, unknown> };
type Reply = { code(status: number): { send(body: unknown): void } };
type Hook = ((request: Request, reply: Reply, done: () => void) => void) | ((request: Request, reply: Reply, payload: unknown, done: (error: null, payload: unknown) => void) => void);
interface FastifyLike {
  addHook(name: string, hook: Hook): void;
}

const allowed = (req: Request, reply: Reply): boolean => {
  if (req.headers['x-token'] === 'secret') return true;
  reply.code(401).send({ message: 'no token' });
  return false;
};

/** An auth check as an app adds it: a request without the token gets 401 (preParsing hooks also pass the body stream on). */
function auth(phase: string): Hook {
  if (phase === 'preParsing') {
    return (req: Request, reply: Reply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      if (allowed(req, reply)) done(null, payload);
    };
  }
  return (req: Request, reply: Reply, done: () => void) => {
    if (allowed(req, reply)) done();
  };
}

describe.each(['onRequest', 'preParsing', 'preValidation', 'preHandler'])('a Fastify %s hook the app adds', (phase) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    dir.cleanup();
  });

  it.each([['before init (main.ts before listen())', false], ['after init', true]])('runs on hits, first request and second (%s)', async (_, afterInit) => {
    dir = tempDir();
    const logger = new MemoryLogger();
    const add = (target: INestApplication) => (target.getHttpAdapter().getInstance() as FastifyLike).addHook(phase, auth(phase));
    app = await createTestApp({
      adapter: 'fastify',
      precompute: { cacheFile: dir.file('cache.json') },
      controllers: [ReportController],
      logger,
      configure: afterInit ? undefined : add,
      afterInit: afterInit ? add : undefined,
    });
    for (let round = 0; round < 2; round++) {
      await request(app.getHttpServer()).get('/report?region=EMEA').expect(401);
      const allowed = await request(app.getHttpServer()).get('/report?region=EMEA').set('x-token', 'secret').expect(200);
      expect(allowed.body).toEqual({ region: 'EMEA' });
    }
  });
});
