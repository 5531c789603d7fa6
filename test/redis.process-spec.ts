import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query } from '@nestjs/common';
import { Precomputed, PrecomputeService, RedisStore } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gridCombinations, httpGet as get, readCalls, startChild, type Child } from './helpers/child-process';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';

const A_VALUES = 'a1,a2,a3,a4,a5,a6';
const ALL = gridCombinations(6, 5);
let redis: RedisServer;
const dir = tempDir('precompute-redis-');
const children: Child[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exited));
  await redis.stop();
  dir.cleanup();
});

function replica(prefix: string, name: string, env: Record<string, string> = {}): Child {
  const child = startChild({
    STORE: 'redis',
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    A_VALUES,
    CALLS_FILE: dir.file(`${prefix}-${name}`),
    DELAY_MS: '20-40',
    CONCURRENCY: '2',
    LEASE_MS: '1000',
    GEN: name,
    ...env,
  });
  children.push(child);
  return child;
}

/** The combinations (`a1/b2`) whose entry in Redis a replica named `gen` stored, read with redis-cli. */
function storedBy(prefix: string, gen: string): string[] {
  const result = spawnSync('redis-cli', ['-p', String(redis.port), '--raw', 'HGETALL', `${prefix}:entries`], { encoding: 'utf8' });
  const lines = result.stdout.split('\n');
  const combinations: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const match = /a=(\w+)&b=(\w+)/.exec(lines[i]);
    if (match && lines[i + 1].includes(`"gen":"${gen}"`)) combinations.push(`${match[1]}/${match[2]}`);
  }
  return combinations;
}

async function servesAll(port: number): Promise<Array<Record<string, string>>> {
  const bodies: Array<Record<string, string>> = [];
  for (const combination of ALL) {
    const [a, b] = combination.split('/');
    const res = await get(port, `/grid?a=${a}&b=${b}`);
    expect(res.status).toBe(200);
    bodies.push(JSON.parse(res.body));
  }
  return bodies;
}

describe('several replicas on one Redis', () => {
  it('three replicas compute 30 combinations once in total, split between them, and all serve all', async () => {
    const prefix = `split${++prefixes}`;
    // Calls long enough (about 2 s for one replica alone) that replicas booting seconds apart on a busy machine still share the run
    const replicas = ['r1', 'r2', 'r3'].map((name) => replica(prefix, name, { DELAY_MS: '100-150' }));
    const ports = await Promise.all(replicas.map((child) => child.listening()));
    const perReplica = ['r1', 'r2', 'r3'].map((name) => readCalls(dir.file(`${prefix}-${name}`)).starts);
    expect(perReplica.flat().sort()).toEqual([...ALL].sort());
    expect(perReplica.filter((starts) => starts.length > 0).length).toBeGreaterThanOrEqual(2);
    for (const port of ports) await servesAll(port);
    // Serving called no handler, on any replica
    expect(['r1', 'r2', 'r3'].flatMap((name) => readCalls(dir.file(`${prefix}-${name}`)).starts)).toHaveLength(30);
    // A replica that starts later loads the results instead of computing them
    const late = replica(prefix, 'late');
    await servesAll(await late.listening());
    expect(readCalls(dir.file(`${prefix}-late`)).starts).toEqual([]);
  });

  it('a replica killed mid-run leaves leases that expire; the others finish its work', async () => {
    const prefix = `kill${++prefixes}`;
    const doomed = replica(prefix, 'doomed', { DELAY_MS: '200-200' });
    await doomed.waitForLine((line) => line.startsWith('END '));
    const survivor = replica(prefix, 'survivor');
    // Kill while it still holds claims (two combinations under way)
    await doomed.waitForLine(() => doomed.lines.filter((line) => line.startsWith('END ')).length >= 2);
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    // What the killed replica had stored (its answers say gen "doomed"): a handler that ended a moment before the kill may not be
    const stored = storedBy(prefix, 'doomed');
    expect(stored.length).toBeGreaterThan(0);
    await survivor.listening();
    const doomedCalls = readCalls(dir.file(`${prefix}-doomed`));
    const survivorCalls = readCalls(dir.file(`${prefix}-survivor`));
    expect(new Set([...doomedCalls.ends, ...survivorCalls.ends])).toEqual(new Set(ALL));
    // Nothing the killed replica stored was computed again
    expect(survivorCalls.starts.filter((combination) => stored.includes(combination))).toEqual([]);
  });

  it('a refresh on one replica reaches the others within a second', async () => {
    const prefix = `refresh${++prefixes}`;
    const first = replica(prefix, 'first');
    const firstPort = await first.listening();
    const second = replica(prefix, 'second');
    const secondPort = await second.listening();
    expect((await servesAll(secondPort)).every((body) => body.gen === 'first')).toBe(true);
    // Same data source, other replica: make the values differ by who computed them
    const refreshed = replica(prefix, 'refresher');
    const refresherPort = await refreshed.listening();
    const summary = JSON.parse((await get(refresherPort, '/admin/refresh')).body);
    expect(summary).toMatchObject({ computed: 30, failed: 0 });
    const deadline = Date.now() + 1000;
    let bodies = await servesAll(firstPort);
    while (!bodies.every((body) => body.gen === 'refresher') && Date.now() < deadline) bodies = await servesAll(firstPort);
    expect(bodies.every((body) => body.gen === 'refresher')).toBe(true);
    expect((await servesAll(secondPort)).every((body) => body.gen === 'refresher')).toBe(true);
  });

  it('Redis stopped and restarted under a running replica: it keeps serving, keeps what it computed, and resynchronises', async () => {
    const prefix = `outage${++prefixes}`;
    const running = replica(prefix, 'running');
    const port = await running.listening();
    await redis.stop();
    // Served from memory while Redis is away, and a refresh still computes
    await servesAll(port);
    const summary = JSON.parse((await get(port, '/admin/refresh')).body);
    expect(summary).toMatchObject({ computed: 30 });
    await redis.start();
    // Redis came back empty (no persistence): the replica pushes everything it has
    await running.waitForLine((line) => line.includes('Synchronised with Redis: 30 entries pushed'));
    const late = replica(prefix, 'after-outage');
    const bodies = await servesAll(await late.listening());
    expect(readCalls(dir.file(`${prefix}-after-outage`)).starts).toEqual([]);
    expect(bodies.every((body) => body.gen === 'running')).toBe(true);
  });

  it('moves data: export to a cache file and import a file (e.g. built in CI) to seed a fleet', async () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [resolve('.build/lib/cli/main.js'), ...args], { encoding: 'utf8' });
    // A file built without Redis, by the JSON file store
    const built = dir.file('built-in-ci.json');
    const builder = startChild({ A_VALUES, CACHE_FILE: built, CALLS_FILE: dir.file('builder'), GEN: 'ci' });
    await builder.listening();
    builder.process.kill('SIGTERM');
    await builder.exited;
    const prefix = `moved${++prefixes}`;
    const imported = cli(['redis-import', '--redis', redis.url, '--prefix', prefix, '--file', built]);
    expect(imported.stdout).toContain(`Imported 30 entries from ${built}`);
    expect(imported.status).toBe(0);
    // A replica of the fleet computes nothing
    const seeded = replica(prefix, 'seeded');
    expect((await servesAll(await seeded.listening())).every((body) => body.gen === 'ci')).toBe(true);
    expect(readCalls(dir.file(`${prefix}-seeded`)).starts).toEqual([]);
    // Round trip: export, edit by hand, import
    const exported = dir.file('exported.json');
    expect(cli(['redis-export', '--redis', redis.url, '--prefix', prefix, '--file', exported]).status).toBe(0);
    const document = JSON.parse(readFileSync(exported, 'utf8'));
    expect(Object.keys(document.entries)).toEqual(Object.keys(JSON.parse(readFileSync(built, 'utf8')).entries));
    document.entries['GET /grid?a=a1&b=b1'].value.gen = 'edited';
    writeFileSync(exported, JSON.stringify(document));
    expect(cli(['redis-import', '--redis', redis.url, '--prefix', prefix, '--file', exported]).status).toBe(0);
    const port = await seeded.listening();
    const deadline = Date.now() + 1000;
    let body = JSON.parse((await get(port, '/grid?a=a1&b=b1')).body);
    while (body.gen !== 'edited' && Date.now() < deadline) body = JSON.parse((await get(port, '/grid?a=a1&b=b1')).body);
    expect(body.gen).toBe('edited');
    expect(cli(['redis-export', '--redis', 'redis://127.0.0.1:1', '--file', exported]).stderr).toContain('Cannot reach Redis');
  });
});

@Controller('local')
class LocalController {
  @Get()
  @Precomputed({ params: { n: ['1', '2'] } })
  get(@Query('n') n: string) {
    return { n };
  }
}

describe('Redis trouble: unreachable at startup, values that are not entries', () => {
  it('fails with a clear message by default', async () => {
    const store = new RedisStore({ connection: 'redis://127.0.0.1:1' });
    await expect(createTestApp({ precompute: { store }, controllers: [LocalController] })).rejects.toThrow(
      /^Cannot reach Redis \(prefix "nestjs-precompute"\): connect ECONNREFUSED 127\.0\.0\.1:1\. Start Redis or fix the connection options; or set onUnavailable: 'local'/,
    );
  });

  it("with onUnavailable: 'local', computes and serves locally with a warning", async () => {
    const logger = new MemoryLogger();
    const store = new RedisStore({ connection: 'redis://127.0.0.1:1', onUnavailable: 'local' });
    const app = await createTestApp({ precompute: { store }, controllers: [LocalController], logger });
    expect(logger.lines.join('\n')).toContain('Redis is unreachable');
    expect(app.get(PrecomputeService).get(LocalController, 'get', { n: 2 })).toEqual({ n: '2' });
    await app.close();
  });

  it('a value someone wrote into Redis by hand that is not an entry is logged, skipped, and recomputed', async () => {
    const { Redis } = await import('ioredis');
    const prefix = `junk${++prefixes}`;
    const client = new Redis(redis.url);
    try {
      const seed = replica(prefix, 'seed');
      await seed.listening();
      seed.process.kill('SIGTERM');
      await seed.exited;
      await client.hset(`${prefix}:entries`, 'GET /grid?a=a1&b=b1', 'not json at all');
      const second = replica(prefix, 'second');
      const port = await second.listening();
      expect(second.lines.join('\n')).toContain('Ignored the Redis value of "GET /grid?a=a1&b=b1"');
      expect(readCalls(dir.file(`${prefix}-second`)).starts).toEqual(['a1/b1']);
      // A change announced with junk in it does not bring a running replica down
      await client.hset(`${prefix}:entries`, 'GET /grid?a=a2&b=b2', '{"no value": true}');
      await client.publish(`${prefix}:changes`, JSON.stringify({ origin: 'someone', keys: ['GET /grid?a=a2&b=b2'] }));
      await second.waitForLine((line) => line.includes('Ignored the Redis value of "GET /grid?a=a2&b=b2"'));
      expect((await get(port, '/grid?a=a2&b=b2')).status).toBe(200);
    } finally {
      client.disconnect();
    }
  });
});
