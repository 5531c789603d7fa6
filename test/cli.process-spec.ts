import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startRedis, type RedisServer } from './helpers/redis-server';
import { tempDir } from './helpers/temp-dir';

const CLI = resolve('.build/lib/cli/main.js');
const MODULE = resolve('.build/test/fixtures/cli-app.module.js');
const dir = tempDir('precompute-cli-');
afterAll(() => dir.cleanup());

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the nestjs-precompute CLI', () => {
  const file = dir.file('built.json');

  it('build computes every combination into the file and prints a summary', () => {
    const { code, out } = cli(['build', '--module', MODULE, '--cache-file', file]);
    expect(code).toBe(0);
    expect(out).toContain('Precompute: 0 cached, 3 computed, 0 failed');
    const entries = JSON.parse(readFileSync(file, 'utf8')).entries;
    expect(Object.keys(entries)).toEqual(['GET /cli?x=1', 'GET /cli?x=2', 'GET /cli?x=3']);
    expect(entries['GET /cli?x=3'].value).toEqual({ x: '3', squared: 9 });
    // A second build computes nothing
    expect(cli(['build', '--module', MODULE, '--cache-file', file]).out).toContain('3 cached, 0 computed');
  });

  it('verify passes on a complete file and fails on a missing combination', () => {
    const file = dir.file('verified.json');
    expect(cli(['build', '--module', MODULE, '--cache-file', file]).code).toBe(0);
    const ok = cli(['verify', '--module', MODULE, '--cache-file', file]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('CliController.get: 3 combinations, 0 missing, 0 stale');
    const document = JSON.parse(readFileSync(file, 'utf8'));
    delete document.entries['GET /cli?x=2'];
    writeFileSync(file, JSON.stringify(document));
    const missing = cli(['verify', '--module', MODULE, '--cache-file', file]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('1 missing');
    // It names what is missing
    expect(missing.out).toContain('  missing: GET /cli?x=2\n');
    // verify computed nothing
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).entries)).toHaveLength(2);
  });

  it('build after a version bump recomputes every entry of the older version before it exits, and verify then passes', () => {
    const file = dir.file('versioned.json');
    expect(cli(['build', '--module', MODULE, '--cache-file', file], { CLI_VERSION: '1' }).code).toBe(0);
    const outdated = cli(['verify', '--module', MODULE, '--cache-file', file], { CLI_VERSION: '2' });
    expect(outdated.code).toBe(1);
    expect(outdated.out).toContain('CliController.get: 3 combinations, 0 missing, 3 stale');
    expect(outdated.out).toContain('  stale: GET /cli?x=1\n');
    const built = cli(['build', '--module', MODULE, '--cache-file', file], { CLI_VERSION: '2' });
    expect(built.code).toBe(0);
    expect(built.out).toContain('0 cached, 3 computed, 0 failed');
    const entries = JSON.parse(readFileSync(file, 'utf8')).entries;
    expect(Object.values<{ version: string }>(entries).map((entry) => entry.version)).toEqual(['2', '2', '2']);
    expect(cli(['verify', '--module', MODULE, '--cache-file', file], { CLI_VERSION: '2' }).code).toBe(0);
  });

  it('build exits 1 when a combination fails, keeping the others', () => {
    const failing = dir.file('failing.json');
    const { code, out } = cli(['build', '--module', MODULE, '--cache-file', failing], { FAIL_X: '2' });
    expect(code).toBe(1);
    expect(out).toContain('2 computed, 1 failed');
    expect(out).toContain('failed: GET /cli?x=2: Error: cannot compute 2');
    expect(Object.keys(JSON.parse(readFileSync(failing, 'utf8')).entries)).toEqual(['GET /cli?x=1', 'GET /cli?x=3']);
  });

  it('explains bad usage', () => {
    const { code, err } = cli(['bild']);
    expect(code).toBe(2);
    expect(err).toContain('unknown command "bild"');
    expect(err).toContain('nestjs-precompute build  --module');
    expect(cli(['build', '--module', MODULE, '--export', 'Nope']).err).toContain('exports no class "Nope"');
  });

  it('builds and verifies the sample app, as a CI step would', () => {
    const sampleFile = dir.file('sample.json');
    const env = { SALES_DELAY_MS: '1', INVENTORY_DELAY_MS: '1' };
    const sampleModule = resolve('.build/sample/app.module.js');
    const built = cli(['build', '--module', sampleModule, '--cache-file', sampleFile], env);
    expect(built.code).toBe(0);
    // 15 sales + 27 inventory + 20 stores (4 from a domain function, 4 from combinations, 12 from an integer range)
    expect(built.out).toContain('0 cached, 62 computed, 0 failed');
    const text = readFileSync(sampleFile, 'utf8');
    expect(Object.keys(JSON.parse(text).entries)).toHaveLength(62);
    // The global ClassSerializerInterceptor applies in the CLI's application context too
    expect(text).not.toContain('queryCost');
    const verified = cli(['verify', '--module', sampleModule, '--cache-file', sampleFile], env);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('SalesController.getSalesReport: 15 combinations, 0 missing, 0 stale');
    expect(verified.out).toContain('InventoryController.stock: 27 combinations, 0 missing, 0 stale');
    // The CLI boots the app, so data domains are read by the same functions
    expect(verified.out).toContain('StoresController.summary: 4 combinations, 0 missing, 0 stale');
    expect(verified.out).toContain('StoresController.bySubregion: 4 combinations, 0 missing, 0 stale');
    expect(verified.out).toContain('StoresController.monthlyTarget: 12 combinations, 0 missing, 0 stale');
  });
});

describe('the CLI on a Redis store', () => {
  const REDIS_MODULE = resolve('.build/test/fixtures/cli-redis-app.module.js');
  let redis: RedisServer;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  // Every entry held, and a local memory of about three of the ten entries: verify reads the others from Redis
  it.each([
    ['every entry in memory', {}],
    ['localCache at a third of the data', { LOCAL_MAX_BYTES: '1000' }],
  ])('verify passes on a complete Redis and fails on a missing combination (%s)', async (name, local: Record<string, string>) => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: `cli-${local.LOCAL_MAX_BYTES ?? 'all'}`, ...local };
    const built = cli(['build', '--module', REDIS_MODULE], env);
    expect(built.out).toContain('0 cached, 10 computed, 0 failed');
    const ok = cli(['verify', '--module', REDIS_MODULE], env);
    expect(ok.out).toContain('CliController.get: 10 combinations, 0 missing, 0 stale');
    expect(ok.code).toBe(0);
    await admin.hdel(`${env.REDIS_PREFIX}:entries`, 'GET /cli?x=7');
    const missing = cli(['verify', '--module', REDIS_MODULE], env);
    expect(missing.out).toContain('CliController.get: 10 combinations, 1 missing, 0 stale');
    expect(missing.code).toBe(1);
    // verify computed nothing
    expect(await admin.hlen(`${env.REDIS_PREFIX}:entries`)).toBe(9);
  });
});
