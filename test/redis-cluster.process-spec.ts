import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster } from 'ioredis';
import { startRedisCluster, type RedisCluster } from './helpers/redis-cluster';
import { tempDir } from './helpers/temp-dir';

const cli = (args: string[]) => spawnSync(process.execPath, [resolve('.build/lib/cli/main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
const dir = tempDir('precompute-cluster-cli-');
let cluster: RedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
  dir.cleanup();
});

function cacheFile(entries: Record<string, unknown>): string {
  const file = dir.file(`seed-${Object.keys(entries).length}.json`);
  const document = {
    format: 'nestjs-precompute/1',
    entries: Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { computedAt: '2026-01-01T00:00:00.000Z', value }])),
  };
  writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

describe('redis-export / redis-import against a Redis Cluster', () => {
  it('imports through --cluster seed nodes, whichever node owns the slot, and exports it back', async () => {
    const prefixes = ['alpha', 'beta', 'gamma', 'delta'];
    const file = cacheFile({ 'GET /r?x=1': { x: 1 }, 'GET /r?x=2': { x: 2 }, 'GET /r?x=3': { x: 3 } });
    // Several prefixes land on different nodes; seeding from the first node alone must still reach each one
    const owners = new Set<string>();
    for (const prefix of prefixes) {
      const imported = cli(['redis-import', '--cluster', `127.0.0.1:${cluster.ports[0]}`, '--prefix', prefix, '--file', file]);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toContain(`Imported 3 entries from ${file} into Redis Cluster 127.0.0.1:${cluster.ports[0]} (prefix "${prefix}")`);
      expect(imported.status).toBe(0);
      expect(await client.hlen(`${prefix}:entries`)).toBe(3);
      const slot = Number(await client.call('cluster', 'keyslot', `${prefix}:entries`));
      const shards = (await client.call('cluster', 'slots')) as Array<[number, number, [string, number]]>;
      owners.add(String(shards.find(([from, to]) => slot >= from && slot <= to)?.[2][1]));
    }
    expect(owners.size).toBeGreaterThan(1);
    for (const prefix of prefixes) {
      const exported = dir.file(`exported-${prefix}.json`);
      const result = cli(['redis-export', '--cluster', cluster.seeds, '--prefix', prefix, '--file', exported]);
      expect(result.stdout).toContain(`Exported 3 entries from Redis Cluster`);
      expect(result.status).toBe(0);
      expect(JSON.parse(readFileSync(exported, 'utf8')).entries['GET /r?x=2'].value).toEqual({ x: 2 });
    }
  });

  it('--redis pointed at a cluster node says it is a cluster and to use --cluster, instead of a bare MOVED', async () => {
    const file = cacheFile({ 'GET /r?x=9': { x: 9 } });
    // Find a node that does not own the slot of the prefix's hash
    const slot = Number(await client.call('cluster', 'keyslot', 'moved:entries'));
    const shards = (await client.call('cluster', 'slots')) as Array<[number, number, [string, number]]>;
    const owner = shards.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
    const other = cluster.ports.find((port) => port !== owner) as number;
    const result = cli(['redis-import', '--redis', `redis://127.0.0.1:${other}`, '--prefix', 'moved', '--file', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is a node of a Redis Cluster (MOVED');
    expect(result.stderr).toContain('--cluster host:port,host:port');
    const usage = cli(['redis-export', '--file', dir.file('none.json')]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('give one of --redis and --cluster for redis-export');
    expect(usage.stderr).toContain('(--redis <url> | --cluster <host:port,...>)');
  });

  it('an unreachable cluster fails with the reason, not a hang', () => {
    const result = cli(['redis-export', '--cluster', '127.0.0.1:1', '--file', dir.file('nothing.json')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot reach Redis Cluster 127.0.0.1:1');
    expect(result.stderr).not.toContain('..');
  });
});
