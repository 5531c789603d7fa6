/**
 * Redis with a bounded local memory (`localCache`, issue 14): the latency of
 * a read that must go to Redis (one HGET over loopback TCP) against one held
 * in memory, both through `RedisStore.fetch()`, as the serving path would call it.
 * Run in-process by bench/run.ts; returns its section of BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RedisStore } from '../lib';
import { createEntry, entryText } from '../lib/storage/cache-entry';
import { formatStat, stat } from './stats';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

interface Round {
  localP50: number;
  localP99: number;
  remoteP50: number;
  remoteP99: number;
  heldShare: number;
}

async function round(url: string, prefix: string, entries: number, samples: number): Promise<Round> {
  const body = { report: 'x'.repeat(1000) };
  const seeder = new RedisStore({ connection: url, prefix });
  await seeder.open({ logger: silent });
  for (let start = 0; start < entries; start += 1000) {
    await seeder.put(Array.from({ length: Math.min(1000, entries - start) }, (_, i) => createEntry(`GET /r?id=${start + i}`, { id: start + i, ...body })));
  }
  await seeder.close();
  const sample = createEntry('GET /r?id=0', { id: 0, ...body });
  const perEntry = entryText(sample).length + sample.key.length + 64;
  const store = new RedisStore({ connection: url, prefix, localCache: { maxBytes: Math.floor((perEntry * entries) / 10) } });
  await store.open({ logger: silent });
  const held = [...store.entries()].map((entry) => entry.key);
  const heldShare = held.length / entries;
  const local: number[] = [];
  const remote: number[] = [];
  let hot = held[0];
  for (let i = 0; i < samples; i++) {
    // Alternate: a held key (the one read from Redis last, kept since), then one outside memory
    if (store.get(hot) === undefined) throw new Error(`bench: ${hot} should be held in memory`);
    let start = process.hrtime.bigint();
    await store.fetch(hot);
    local.push(Number(process.hrtime.bigint() - start) / 1e6);
    let cold = `GET /r?id=${Math.floor(Math.random() * entries)}`;
    while (store.get(cold) !== undefined) cold = `GET /r?id=${Math.floor(Math.random() * entries)}`;
    start = process.hrtime.bigint();
    const fetched = await store.fetch(cold);
    remote.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!fetched) throw new Error(`bench: ${cold} was not found in Redis`);
    hot = cold;
  }
  await store.close();
  local.sort((a, b) => a - b);
  remote.sort((a, b) => a - b);
  return { localP50: percentile(local, 50), localP99: percentile(local, 99), remoteP50: percentile(remote, 50), remoteP99: percentile(remote, 99), heldShare };
}

/** Starts the bench app; resolves with its port and a way to stop it. */
function startApp(env: Record<string, string>): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, 'redis-local-cache-app.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = /LISTENING (\d+)/.exec(output);
      if (found) resolve({ port: Number(found[1]), stop: async () => (child.kill('SIGTERM'), await exited) });
    });
    void exited.then(() => reject(new Error(`redis-local-cache-app exited before listening:\n${output}`)));
  });
}

function timedGet(agent: Agent, port: number, path: string): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`${path}: ${res.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });
}

/** Over HTTP: each id once outside memory (most are: 10% are held after startup), then again, kept since. */
async function httpRound(url: string, prefix: string, ids: number, samples: number): Promise<{ local: number; remote: number }> {
  const seeder = await startApp({ REDIS_URL: url, REDIS_PREFIX: prefix, IDS: String(ids) });
  await seeder.stop();
  const perEntry = 1100;
  const app = await startApp({ REDIS_URL: url, REDIS_PREFIX: prefix, IDS: String(ids), LOCAL_CACHE_BYTES: String(Math.floor((perEntry * ids) / 10)) });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const local: number[] = [];
  const remote: number[] = [];
  try {
    const order = Array.from({ length: ids }, (_, i) => i).sort(() => Math.random() - 0.5).slice(0, samples);
    for (const id of order) {
      remote.push(await timedGet(agent, app.port, `/r?id=${id}`));
      local.push(await timedGet(agent, app.port, `/r?id=${id}`));
    }
  } finally {
    agent.destroy();
    await app.stop();
  }
  return { local: percentile(local.sort((a, b) => a - b), 50), remote: percentile(remote.sort((a, b) => a - b), 50) };
}

/** The bench's section; skipped with a note when redis-server is not installed. */
export async function redisLocalCacheSection(options: { smoke: boolean; rounds: number }): Promise<string> {
  const entries = options.smoke ? 500 : 20_000;
  const samples = options.smoke ? 50 : 2_000;
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const started = await new Promise<boolean>((resolve) => {
    redis.on('error', () => resolve(false));
    redis.on('exit', () => resolve(false));
    redis.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('Ready to accept connections') && resolve(true));
  });
  if (!started) return '## Redis with a bounded local memory\n\nredis-server is not installed: skipped (`apt-get install redis-server`).\n';
  const rounds: Round[] = [];
  const http: Array<{ local: number; remote: number }> = [];
  const httpIds = options.smoke ? 50 : 5_000;
  try {
    for (let i = 0; i < options.rounds; i++) {
      rounds.push(await round(`redis://127.0.0.1:${port}`, `local-cache-${i}`, entries, samples));
      http.push(await httpRound(`redis://127.0.0.1:${port}`, `local-cache-http-${i}`, httpIds, Math.min(httpIds, samples)));
    }
  } finally {
    redis.kill('SIGKILL');
  }
  const of = (pick: (r: Round) => number) => stat(rounds.map(pick));
  const gap = of((r) => r.remoteP50 - r.localP50);
  return [
    '## Redis with a bounded local memory',
    '',
    `${entries.toLocaleString('en-US')} entries of ~1 KB in a local redis-server (loopback TCP), one replica with \`localCache.maxBytes\` at 10% of the data ` +
      `(it held ${(of((r) => r.heldShare).median * 100).toFixed(1)}% of the entries after startup). ${samples.toLocaleString('en-US')} reads each, one at a time, ` +
      'alternating a key outside memory and the key read just before (kept since), both through `RedisStore.fetch()`:',
    '',
    '| read | p50 | p99 |',
    '|---|---|---|',
    `| held in local memory | ${formatStat(of((r) => r.localP50), 3, ' ms')} | ${formatStat(of((r) => r.localP99), 3, ' ms')} |`,
    `| outside local memory (one HGET, then kept) | ${formatStat(of((r) => r.remoteP50), 3, ' ms')} | ${formatStat(of((r) => r.remoteP99), 3, ' ms')} |`,
    '',
    `A read that goes to Redis costs ${formatStat(gap, 3, ' ms')} more at the p50 (target: within 2 ms).`,
    '',
    `Over HTTP (Express, keep-alive, one request at a time; ${httpIds.toLocaleString('en-US')} combinations, 10% held): the first request of an id ` +
      `(outside memory, except the ~10% loaded at startup) takes ${formatStat(stat(http.map((r) => r.remote)), 3, ' ms')} at the p50, the second ` +
      `(held since) ${formatStat(stat(http.map((r) => r.local)), 3, ' ms')}: ${formatStat(stat(http.map((r) => r.remote - r.local)), 3, ' ms')} more.`,
    '',
  ].join('\n');
}
