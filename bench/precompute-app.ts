/**
 * A precompute benchmark app: A_COUNT × B_COUNT combinations of PAYLOAD_BYTES
 * each, DELAY_MS per call (0 = instant). Prints one line when listening:
 *   RESULT {"durationMs":..,"listenMs":..,"maxRssMb":..,"writtenBytes":..,"computed":..,"cached":..}
 */
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { Precomputed, PrecomputeModule, PrecomputeService, RedisStore } from '../lib';

const env = process.env;
const A = Array.from({ length: Number(env.A_COUNT ?? 100) }, (_, i) => `a${i}`);
const B = Array.from({ length: Number(env.B_COUNT ?? 100) }, (_, i) => `b${i}`);
const DELAY_MS = Number(env.DELAY_MS ?? 0);
const PADDING = 'x'.repeat(Math.max(0, Number(env.PAYLOAD_BYTES ?? 1000) - 60));

@Controller('grid')
class GridController {
  @Get()
  @Precomputed({ params: { a: A, b: B } })
  async get(@Query('a') a: string, @Query('b') b: string) {
    if (DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
    return { a, b, revenue: a.length * 1000 + b.length, padding: PADDING };
  }
}

@Module({
  imports: [
    PrecomputeModule.forRoot({
      ...(env.REDIS_URL
        ? { store: new RedisStore({ connection: env.REDIS_URL, prefix: env.REDIS_PREFIX }) }
        : { cacheFile: env.CACHE_FILE as string }),
      concurrency: Number(env.CONCURRENCY ?? 4),
      maxCombinations: 1_000_000,
      progress: false,
      watchFile: false,
    }),
  ],
  controllers: [GridController],
})
class BenchModule {}

function writtenBytes(): number {
  const io = readFileSync('/proc/self/io', 'utf8');
  return Number(/^wchar: (\d+)$/m.exec(io)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const app = await NestFactory.create(BenchModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const listenMs = process.uptime() * 1000;
  const summary = await app.get(PrecomputeService).whenReady();
  await app.close();
  const result = {
    durationMs: summary.durationMs,
    listenMs: Math.round(listenMs),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    writtenBytes: writtenBytes(),
    computed: summary.computed,
    cached: summary.cached,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

void main();
