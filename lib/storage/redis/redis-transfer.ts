import { open } from 'node:fs/promises';
import type { Cluster, Redis } from 'ioredis';
import type { CacheEntry } from '../cache-entry';
import { readCacheFile } from '../json-file/cache-file-reader';
import { writeCacheFile } from '../json-file/cache-file-writer';
import { messages } from '../../precompute.messages';
import { createClusterClient, createRedisClient } from './redis-client';
import { deserializeEntry, serializeEntry } from './redis-entry-codec';
import { classifyRedisError } from './redis-rights';

/** Fields per HSET when importing: bounded replies and notices, whatever the file's size. */
const BATCH = 1000;

type AnyClient = Redis | Cluster;

/** Writes every entry of `<prefix>:entries` to a cache file (the JSON file store's format); resolves with the count. */
export async function exportEntries(client: AnyClient, prefix: string, file: string, source: string): Promise<number> {
  const entries: CacheEntry[] = [];
  let cursor = '0';
  do {
    const [next, fields] = await client.hscan(`${prefix}:entries`, cursor, 'COUNT', BATCH);
    for (let i = 0; i < fields.length; i += 2) entries.push(deserializeEntry(fields[i], fields[i + 1], source));
    cursor = next;
  } while (cursor !== '0');
  // Streaming, in writes of about 1 MiB: the file may be larger than a string can hold
  const out = await open(file, 'w');
  try {
    await writeCacheFile(out, entries, false);
  } finally {
    await out.close();
  }
  return entries.length;
}

/** Loads a cache file into `<prefix>:entries` and tells running replicas which keys changed; resolves with the count. */
export async function importEntries(client: AnyClient, prefix: string, file: string, origin: string): Promise<number> {
  // Streaming: the file may be larger than a string can hold
  const entries = [...(await readCacheFile(file, file, { index: false })).entries.values()];
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH);
    await client.hset(`${prefix}:entries`, ...batch.flatMap((entry) => [entry.key, serializeEntry(entry)]));
    await client.publish(`${prefix}:changes`, JSON.stringify({ origin, keys: batch.map((entry) => entry.key) }));
  }
  return entries.length;
}

export interface RedisTransferOptions {
  /** `redis://host:port/db` of a single Redis. */
  readonly redis?: string;
  /** Seed nodes of a Redis Cluster: `host:port,host:port`. */
  readonly cluster?: string;
  readonly prefix?: string;
}

/**
 * `redis-export` / `redis-import` of the CLI, on one Redis or a Cluster.
 * Resolves with the line to print; rejects with a message naming the cause and the fix.
 */
export async function transferRedisData(direction: 'export' | 'import', options: RedisTransferOptions, file: string): Promise<string> {
  const prefix = options.prefix ?? 'nestjs-precompute';
  const where = options.cluster ? `Redis Cluster ${options.cluster} (prefix "${prefix}")` : `Redis (prefix "${prefix}")`;
  let lastError: Error | undefined;
  const client: AnyClient = options.cluster
    ? await createClusterClient(options.cluster)
    : await createRedisClient(options.redis ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', (error: Error) => (lastError = error));
  try {
    try {
      if (client.status === 'wait') await client.connect();
      await client.ping();
    } catch (error) {
      throw new Error(connectionMessage(where, lastError?.message ?? (error as Error).message, (error as Error).message));
    }
    try {
      if (direction === 'export') return `Exported ${await exportEntries(client, prefix, file, where)} entries from ${where} to ${file}`;
      return `Imported ${await importEntries(client, prefix, file, `cli:${process.pid}`)} entries from ${file} into ${where}`;
    } catch (error) {
      // A single-node client sent to a Cluster node that does not own the slot
      if (/^(MOVED|ASK|CLUSTERDOWN)\b/.test((error as Error).message)) throw new Error(messages.redisIsCluster(where, (error as Error).message));
      throw error;
    }
  } finally {
    client.disconnect();
  }
}

function connectionMessage(where: string, cause: string, fallback: string): string {
  const kind = classifyRedisError(cause);
  if (kind === 'wrong-password') return messages.redisWrongPassword(where, cause);
  if (kind === 'no-password') return messages.redisNoPassword(where, cause);
  return messages.redisUnreachable(where, cause || fallback);
}
