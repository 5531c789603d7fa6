/**
 * One benchmark server per process:
 *   ADAPTER=express|fastify  SCENARIO=bare|precomputed|precomputed-default|precomputed-early|cache-manager|validation|raw  BODY=small|large
 *   (precomputed-early-unrecorded: the metrics recorder's hit-path calls emptied; precomputed-early-otel: an OTel SDK registered)
 *   APP_COMPRESSION=1: the app runs its own compression() (Express) or @fastify/compress (Fastify), as production apps do
 * Serves GET /report?region=EMEA and prints `LISTENING <port>`.
 */
import 'reflect-metadata';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Module, ParseEnumPipe, Query, UseInterceptors, ValidationPipe, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCompress from '@fastify/compress';
import compression from 'compression';
import { IsEnum } from 'class-validator';
import { createServer } from 'node:http';
import { Precomputed, PrecomputeModule } from '../lib';
import { registerOtelSdk, unrecord } from './metrics-scenarios';
import { LARGE_BODY, SMALL_BODY } from './bodies';

enum Region {
  EMEA = 'EMEA',
  APAC = 'APAC',
}
class ReportQuery {
  @IsEnum(Region)
  region!: Region;
}

const body = process.env.BODY === 'large' ? LARGE_BODY : SMALL_BODY;
const scenario = process.env.SCENARIO ?? 'bare';

@Controller()
class BareController {
  @Get('report')
  get(@Query('region') region: string) {
    return region ? body : body;
  }
}

@Controller()
class PrecomputedController {
  @Get('report')
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    return region ? body : body;
  }
}

@Controller()
@UseInterceptors(CacheInterceptor)
class CacheManagerController {
  @Get('report')
  get(@Query('region') region: string) {
    return region ? body : body;
  }
}

@Controller()
class ValidationController {
  @Get('report')
  get(@Query() query: ReportQuery) {
    return query.region ? body : body;
  }
}

function moduleFor(): Type {
  const controllers: Record<string, Type> = {
    bare: BareController,
    precomputed: PrecomputedController,
    'precomputed-early': PrecomputedController,
    'precomputed-early-unrecorded': PrecomputedController,
    'precomputed-early-otel': PrecomputedController,
    'precomputed-default': PrecomputedController,
    'cache-manager': CacheManagerController,
    validation: ValidationController,
  };
  const imports =
    scenario.startsWith('precomputed')
      ? [
          PrecomputeModule.forRoot({
            cacheFile: process.env.CACHE_FILE ?? '.build/bench-serving.json',
            progress: false,
            watchFile: false,
            // precomputed-default sets no serving option at all: what users get
            ...(scenario === 'precomputed-default' ? {} : { earlyHits: scenario.startsWith('precomputed-early') }),
          }),
        ]
      : scenario === 'cache-manager'
        ? [CacheModule.register({ ttl: 3_600_000 })]
        : [];
  @Module({ imports, controllers: [controllers[scenario]] })
  class BenchModule {}
  return BenchModule;
}

async function main(): Promise<void> {
  if (scenario === 'raw') {
    const prebuilt = Buffer.from(JSON.stringify(body));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': prebuilt.length });
      res.end(prebuilt);
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${(server.address() as { port: number }).port}\n`));
    return;
  }
  if (scenario === 'precomputed-early-unrecorded') unrecord();
  if (scenario === 'precomputed-early-otel') await registerOtelSdk();
  const app =
    process.env.ADAPTER === 'fastify'
      ? await NestFactory.create(moduleFor(), new FastifyAdapter(), { logger: ['error', 'warn'] })
      : await NestFactory.create(moduleFor(), { logger: ['error', 'warn'] });
  if (scenario === 'validation') app.useGlobalPipes(new ValidationPipe({ transform: true }));
  if (process.env.APP_COMPRESSION === '1') {
    if (process.env.ADAPTER === 'fastify') await (app as NestFastifyApplication).register(fastifyCompress);
    else app.use(compression());
  }
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`LISTENING ${(app.getHttpServer().address() as { port: number }).port}\n`);
}

void main();
