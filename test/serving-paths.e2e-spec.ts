import 'reflect-metadata';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import {
  ClassSerializerInterceptor,
  Controller,
  Get,
  Injectable,
  Module,
  ParseEnumPipe,
  Query,
  RequestMethod,
  UnauthorizedException,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { Precomputed, type PrecomputeModuleOptions } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, MemoryLogger, createTestApp, type AdapterName, type TestAppOptions } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Kind {
  A = 'a',
  B = 'b',
}
const calls = new CallLog();

@Controller('secret')
class SecretController {
  @Get()
  @Precomputed()
  get(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    calls.record(`secret:${kind}`);
    return { secret: kind };
  }
}

@Controller('patterned/reports')
class PatternedController {
  @Get()
  @Precomputed()
  get(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    calls.record(`patterned:${kind}`);
    return { patterned: kind };
  }
}

@Controller('open')
class OpenController {
  @Get()
  @Precomputed()
  get(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    calls.record(`open:${kind}`);
    return { open: kind };
  }
}

/** Auth: a request without `x-token: yes` is refused before anything else runs. */
@Injectable()
class AuthMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    if (request.headers['x-token'] === 'yes') return next();
    response.statusCode = 401;
    response.setHeader('Content-Type', 'application/json');
    response.end('{"message":"no token"}');
  }
}

@Module({ controllers: [SecretController] })
class SecretModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthMiddleware).forRoutes(SecretController);
  }
}

@Module({ controllers: [PatternedController] })
class PatternedModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthMiddleware).forRoutes({ path: 'patterned/*rest', method: RequestMethod.GET });
  }
}

/** `forRoutes()` with a plain string: Nest mounts it for every method (its route info has no method of its own). */
function stringRouteModule(route: string) {
  @Module({ controllers: [PatternedController] })
  class StringRouteModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(AuthMiddleware).forRoutes(route);
    }
  }
  return StringRouteModule;
}

/** A serializer that also marks every answer it serializes (as one that picks groups by the user would act on every request). */
@Injectable()
class MarkingSerializer extends ClassSerializerInterceptor {
  override intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const response = context.switchToHttp().getResponse<{ header?(name: string, value: string): void; setHeader?(name: string, value: string): void } | undefined>();
    // At startup the module serializes without a request: nothing to mark then
    if (response?.setHeader) response.setHeader('X-Serialized-By', 'marking');
    else response?.header?.('X-Serialized-By', 'marking');
    return super.intercept(context, next);
  }
}

/** A serializer subclass that assumes there is always a response. */
@Injectable()
class NaiveSerializer extends ClassSerializerInterceptor {
  override intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('X-Naive', 'yes');
    return super.intercept(context, next);
  }
}

@Injectable()
class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers;
    if (headers['x-token'] !== 'yes') throw new UnauthorizedException('no token');
    return true;
  }
}

const dir = tempDir();
afterAll(() => dir.cleanup());
let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/**
 * Whether a request went past the early path into Nest's routing: on Express the router
 * sets `req.route` once it matched a route; on Fastify the route's handler (Nest's) runs
 * only for a request the early path (the route's last preHandler) left to it.
 */
class RouterProbe {
  readonly routed: boolean[] = [];
  install(target: INestApplication, adapter: AdapterName): void {
    if (adapter === 'express') {
      // Registered before init: it runs before the early middleware and sees the request end
      target.use((req: IncomingMessage & { route?: unknown }, res: ServerResponse, next: () => void) => {
        res.on('finish', () => this.routed.push(req.route !== undefined));
        next();
      });
    } else {
      type Handler = (this: unknown, request: { routed?: boolean }, reply: unknown) => unknown;
      const fastify = target.getHttpAdapter().getInstance() as {
        addHook(name: 'onResponse', hook: (request: unknown, reply: unknown, done: () => void) => void): void;
        addHook(name: 'onRoute', hook: (route: { handler: Handler }) => void): void;
      };
      fastify.addHook('onResponse', (_request, reply, done) => {
        this.routed.push((reply as { request: { routed?: boolean } }).request.routed === true);
        done();
      });
      // Each route's handler, wrapped as Fastify registers it: it marks the requests that reached it
      fastify.addHook('onRoute', (route) => {
        const handler = route.handler;
        route.handler = function (request, reply) {
          request.routed = true;
          return handler.call(this, request, reply);
        };
      });
    }
  }
}

async function start(adapter: AdapterName, name: string, options: Partial<TestAppOptions> & { precompute?: Partial<PrecomputeModuleOptions> }) {
  const logger = new MemoryLogger();
  const probe = new RouterProbe();
  app = await createTestApp({
    adapter,
    logger,
    ...options,
    precompute: { cacheFile: dir.file(`${adapter}-${name}.json`), ...(options.precompute as Partial<PrecomputeModuleOptions>) },
    configure: (target) => {
      probe.install(target, adapter);
      // app.use() before listen(): it must run on early hits too
      target.use((_req: IncomingMessage, res: ServerResponse, next: () => void) => {
        res.setHeader('X-App-Use', 'ran');
        next();
      });
      options.configure?.(target);
    },
  });
  return { logger, probe, server: app.getHttpServer() };
}

describe.each(ADAPTERS)('serving paths on %s (earlyHits default)', (adapter) => {
  it('never skips an auth middleware bound with configure().forRoutes(Controller), on the first and second request', async () => {
    calls.reset();
    const { server, logger } = await start(adapter, 'controller', { imports: [SecretModule] });
    for (let round = 0; round < 2; round++) {
      await request(server).get('/secret?kind=a').expect(401);
      await request(server).head('/secret?kind=a').expect(401);
    }
    await request(server).get('/secret?kind=a').set('x-token', 'yes').expect(200, { secret: 'a' });
    await request(server).get('/secret?kind=a').expect(401);
    expect(calls.all()).toEqual(['secret:a', 'secret:b']);
    expect(logger.precompute().join('\n')).toMatch(/SecretController\.get \(GET \/secret\): hits are answered by the interceptor.*middleware bound in a module's configure\(\)/);
  });

  it('never skips an auth middleware bound with a path pattern', async () => {
    const { server, logger } = await start(adapter, 'pattern', { imports: [PatternedModule] });
    for (let round = 0; round < 2; round++) await request(server).get('/patterned/reports?kind=b').expect(401);
    await request(server).get('/patterned/reports?kind=b').set('x-token', 'yes').expect(200, { patterned: 'b' });
    expect(logger.precompute().join('\n')).toMatch(/PatternedController\.get .*answered by the interceptor.*patterned/);
  });

  it.each(['patterned/*rest', 'patterned/reports', '/patterned/reports', '*path', 'patterned/{*rest}'])(
    "never skips an auth middleware bound with the string forRoutes('%s'), on the first and second request",
    async (route) => {
      const { server, logger } = await start(adapter, `string-${route.replace(/\W/g, '_')}`, { imports: [stringRouteModule(route)] });
      for (let round = 0; round < 2; round++) {
        await request(server).get('/patterned/reports?kind=b').expect(401);
        await request(server).head('/patterned/reports?kind=b').expect(401);
      }
      await request(server).get('/patterned/reports?kind=b').set('x-token', 'yes').expect(200, { patterned: 'b' });
      expect(logger.precompute().join('\n')).toMatch(/PatternedController\.get .*answered by the interceptor/);
    },
  );

  it.each([
    ['app.useGlobalGuards()', { configure: (target: INestApplication) => target.useGlobalGuards(new TokenGuard()) }],
    ['an APP_GUARD provider', { providers: [{ provide: APP_GUARD, useClass: TokenGuard }] }],
  ])('never skips a global guard (%s)', async (_name, setup) => {
    const { server, logger } = await start(adapter, `guard-${_name.length}`, { controllers: [OpenController], ...setup });
    for (let round = 0; round < 2; round++) await request(server).get('/open?kind=a').expect(401);
    await request(server).get('/open?kind=a').set('x-token', 'yes').expect(200, { open: 'a' });
    expect(logger.precompute().join('\n')).toContain('OpenController.get (GET /open): hits are answered by the interceptor, after Nest\'s pipeline, because 1 guard(s) must run');
  });

  it.each([
    ['an APP_INTERCEPTOR class', { providers: [{ provide: APP_INTERCEPTOR, useClass: MarkingSerializer }] }],
    ['app.useGlobalInterceptors() with an instance', { configure: (target: INestApplication) => target.useGlobalInterceptors(new MarkingSerializer(target.get(Reflector))) }],
  ])('never skips a subclass of ClassSerializerInterceptor that does more than serialize (%s), first and second request', async (_name, setup) => {
    const { server, logger } = await start(adapter, `serializer-${_name.length}`, { controllers: [OpenController], ...setup });
    for (let round = 0; round < 2; round++) {
      const hit = await request(server).get('/open?kind=a').expect(200, { open: 'a' });
      expect(hit.headers['x-serialized-by']).toBe('marking');
      const head = await request(server).head('/open?kind=a').expect(200);
      expect(head.headers['x-serialized-by']).toBe('marking');
    }
    expect(logger.precompute().join('\n')).toContain("OpenController.get (GET /open): hits are answered by the interceptor, after Nest's pipeline, because 1 interceptor(s) must run");
  });

  it('says what went wrong when a serializer subclass reads a response that does not exist while computing', async () => {
    const { logger } = await start(adapter, 'naive-serializer', { controllers: [OpenController], providers: [{ provide: APP_INTERCEPTOR, useClass: NaiveSerializer }] });
    const failure = await logger.waitFor('NaiveSerializer failed while serializing a precomputed value');
    expect(failure).toContain('Values are computed without a request');
    expect(failure).toContain('getResponse()');
  });

  it('serves a route with nothing else to run early by default, and app.use() middleware still runs on those hits', async () => {
    const { server, logger, probe } = await start(adapter, 'open', { controllers: [OpenController], imports: [SecretModule] });
    for (let round = 0; round < 2; round++) {
      const hit = await request(server).get('/open?kind=b').expect(200, { open: 'b' });
      expect(hit.headers['x-app-use']).toBe('ran');
    }
    // Not a combination: Nest's router and pipeline run
    await request(server).get('/open?kind=b&other=1').expect(200, { open: 'b' });
    expect(probe.routed).toEqual([false, false, true]);
    expect(logger.precompute().join('\n')).toContain("OpenController.get (GET /open): hits are answered early, before Nest's router");
  });

  it('earlyHits: false keeps every hit on Nest\'s router and the interceptor', async () => {
    const off = await start(adapter, 'off', { controllers: [OpenController], precompute: { earlyHits: false } });
    await request(off.server).get('/open?kind=a').expect(200, { open: 'a' });
    expect(off.probe.routed).toEqual([true]);
    expect(off.logger.precompute().join('\n')).toContain('because earlyHits is off');
  });
});

describe('the early path on Express sits before the body parsers Nest adds', () => {
  const stackNames = (target: INestApplication) =>
    (target.getHttpAdapter().getInstance() as { router: { stack: { handle: { name: string } }[] } }).router.stack.map((layer) => layer.handle.name);

  it('after app.use() middleware and before jsonParser and urlencodedParser, in the app Nest built', async () => {
    const { server } = await start('express', 'layers', {
      controllers: [OpenController],
      configure: (target) => target.use(function mainTsAuth(_req: IncomingMessage, _res: ServerResponse, next: () => void) {
        next();
      }),
    });
    const names = stackNames(app as INestApplication);
    const early = names.indexOf('precomputeEarlyHits');
    expect(early).toBeGreaterThan(names.indexOf('mainTsAuth'));
    expect(names.indexOf('mainTsAuth')).toBeGreaterThanOrEqual(0);
    expect(early).toBeLessThan(names.indexOf('jsonParser'));
    expect(early).toBeLessThan(names.indexOf('urlencodedParser'));
    await request(server).get('/open?kind=a').expect(200, { open: 'a' });
  });

  it('a GET that carries a body goes through the parsers and Nest, as it would without the early path, on the first and second request', async () => {
    const { server, probe } = await start('express', 'body', { controllers: [OpenController] });
    for (let round = 0; round < 2; round++) {
      // A malformed JSON body: the parser refuses it, as it refuses it on any route
      await request(server).get('/open?kind=a').set('Content-Type', 'application/json').send('{"broken').expect(400);
      const parsed = await request(server).get('/open?kind=a').set('Content-Type', 'application/json').send('{"fine":true}').expect(200, { open: 'a' });
      expect(parsed.headers['x-app-use']).toBe('ran');
      const early = await request(server).get('/open?kind=a').expect(200, { open: 'a' });
      expect(early.headers['x-app-use']).toBe('ran');
    }
    // The parsed one reached the router (the interceptor served it); the one without a body did not; the refused ones never got there
    expect(probe.routed).toEqual([false, true, false, false, true, false]);
  });
});
