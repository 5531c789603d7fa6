/**
 * The app of the localCache bench: IDS combinations of ~1 KB on a RedisStore
 * (LOCAL_CACHE_BYTES bounds its memory when set). Prints `LISTENING <port>`.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Precomputed, PrecomputeModule, RedisStore } from '../lib';

const env = process.env;
const IDS = Array.from({ length: Number(env.IDS ?? 1000) }, (_, i) => String(i));
const PADDING = 'x'.repeat(1000);

@Controller('r')
class ReportController {
  @Get()
  @Precomputed({ params: { id: IDS } })
  get(@Query('id') id: string) {
    return { id, padding: PADDING };
  }
}

const maxBytes = Number(env.LOCAL_CACHE_BYTES ?? 0);

@Module({
  imports: [
    PrecomputeModule.forRoot({
      store: new RedisStore({ connection: env.REDIS_URL, prefix: env.REDIS_PREFIX, ...(maxBytes ? { localCache: { maxBytes } } : {}) }),
      concurrency: 8,
      maxCombinations: 1_000_000,
      progress: false,
      logLevel: 'warn',
    }),
  ],
  controllers: [ReportController],
})
class BenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BenchModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`LISTENING ${(app.getHttpServer().address() as { port: number }).port}\n`);
}

void main();
