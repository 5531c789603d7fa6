import type { Cluster, Redis, RedisOptions } from 'ioredis';

interface IoRedisModule {
  Redis: new (...args: unknown[]) => Redis;
  Cluster: new (nodes: Array<{ host: string; port: number }>, options?: Record<string, unknown>) => Cluster;
}

/** ioredis, loaded only when a Redis store is used (an optional peer dependency). */
export async function loadIoRedis(): Promise<IoRedisModule> {
  const module = (await import('ioredis').catch(() => {
    throw new Error('RedisStore needs the ioredis package: npm install ioredis');
  })) as { default?: unknown; Redis?: unknown; Cluster?: unknown };
  const fallback = module.default as { Cluster?: unknown } | undefined;
  return {
    Redis: (module.Redis ?? module.default) as IoRedisModule['Redis'],
    Cluster: (module.Cluster ?? fallback?.Cluster) as IoRedisModule['Cluster'],
  };
}

/** A client for `redis://host:port/db` or ioredis options, with the store's own settings on top. */
export async function createRedisClient(connection: string | Record<string, unknown>, settings: RedisOptions): Promise<Redis> {
  const { Redis: RedisClass } = await loadIoRedis();
  return typeof connection === 'string' ? new RedisClass(connection, settings) : new RedisClass({ ...connection, ...settings });
}

/**
 * A Redis Cluster client from seed nodes, `host:port,host:port` (or `redis://`
 * URLs, whose user and password are used for every node).
 */
export async function createClusterClient(seeds: string): Promise<Cluster> {
  const { Cluster: ClusterClass } = await loadIoRedis();
  let username: string | undefined;
  let password: string | undefined;
  const nodes = seeds
    .split(',')
    .map((seed) => seed.trim())
    .filter(Boolean)
    .map((seed) => {
      const url = new URL(seed.includes('://') ? seed : `redis://${seed}`);
      if (url.username) username = decodeURIComponent(url.username);
      if (url.password) password = decodeURIComponent(url.password);
      return { host: url.hostname, port: Number(url.port || 6379) };
    });
  if (nodes.length === 0) throw new Error('--cluster needs at least one seed node: --cluster host:port,host:port');
  return new ClusterClass(nodes, {
    redisOptions: { ...(username ? { username } : {}), ...(password ? { password } : {}), maxRetriesPerRequest: 1 },
    clusterRetryStrategy: (times: number) => (times > 3 ? null : 200),
  });
}
