/**
 * The scale benchmark app: COUNT combinations of one handler, each answer about
 * PAYLOAD_BYTES, shaped like a report (SHAPE=rows: rows of small objects) or one
 * long string (SHAPE=padding). STARTUP is the startup mode; with LIVE=forbid the
 * handler fails, so a 200 proves the answer came from the cache. Prints:
 *   RESULT {"listenMs":..,"cpuMs":..,"readyMs":..,"closedMs":..,"rssAfterStartMb":..,"maxRssMb":..,"computed":..,"cached":..,"servedBytes":..}
 */
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Precomputed, PrecomputeModule, PrecomputeService } from '../lib';

const env = process.env;
const COUNT = Number(env.COUNT ?? 1000);
const IDS = Array.from({ length: COUNT }, (_, i) => String(i));
const PAYLOAD_BYTES = Number(env.PAYLOAD_BYTES ?? 1000);
// A row takes about 175 bytes once pretty-printed in the file: PAYLOAD_BYTES is the entry's size in the file
const ROWS = Math.max(1, Math.round(PAYLOAD_BYTES / 175));

function answer(id: string): object {
  if (env.LIVE === 'forbid') throw new Error('computed live: the cache did not answer');
  if (env.SHAPE !== 'rows') return { id, revenue: id.length * 1000, padding: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - 60)) };
  // About 200 bytes per row once pretty-printed in the file, like a report's table
  return {
    id,
    rows: Array.from({ length: ROWS }, (_, i) => ({ store: `store-${i}`, city: 'Berlin', revenue: 100000 + i, orders: 500 + (i % 400), margin: 0.274 })),
  };
}

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ params: { id: IDS } })
  get(@Query('id') id: string) {
    return answer(id);
  }
}

@Module({
  imports: [
    PrecomputeModule.forRoot({
      cacheFile: env.CACHE_FILE as string,
      startup: (env.STARTUP ?? 'blocking') as 'blocking' | 'off',
      concurrency: 8,
      maxCombinations: 2_000_000,
      progress: false,
      watchFile: env.WATCH === '1',
    }),
  ],
  controllers: [ReportController],
})
class ScaleModule {}

function fetchBytes(port: number, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/report?id=${id}` }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET /report?id=${id}: ${response.statusCode}`))));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const app = await NestFactory.create(ScaleModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const listenMs = process.uptime() * 1000;
  const cpu = process.cpuUsage();
  const rssAfterStartMb = process.memoryUsage().rss / 2 ** 20;
  const summary = await app.get(PrecomputeService).whenReady();
  const readyMs = process.uptime() * 1000;
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let servedBytes = 0;
  for (const id of [IDS[0], IDS[Math.floor(COUNT / 2)], IDS[COUNT - 1]]) servedBytes += await fetchBytes(port, id);
  await app.close();
  const result = {
    listenMs: Math.round(listenMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    readyMs: Math.round(readyMs),
    closedMs: Math.round(process.uptime() * 1000),
    rssAfterStartMb: Math.round(rssAfterStartMb),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    computed: summary.computed,
    cached: summary.cached,
    servedBytes,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
