/**
 * Baselines of the scale benchmark: reads a cache file and nothing else, either
 * with the store's streaming reader (MODE=stream) or readFile + JSON.parse (MODE=json).
 */
import { readFileSync } from 'node:fs';
import { readCacheFile } from '../lib/storage/json-file/cache-file-reader';

async function main(): Promise<void> {
  const file = process.argv[2];
  let entries: number;
  if (process.env.MODE === 'json') {
    entries = Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { entries: object }).entries).length;
  } else {
    entries = (await readCacheFile(file, file, { index: process.env.INDEX === '1' })).entries.size;
  }
  const cpu = process.cpuUsage();
  const result = {
    listenMs: Math.round(process.uptime() * 1000),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    entries,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

void main();
