import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import type { CacheEntry } from '../cache-entry';
import { formatCacheFile, parseCacheFile, toEntry } from '../json-file/cache-file-format';
import { storedJson } from '../stored-entry';
import type { Claim, PrecomputeStore, StoreContext } from '../precompute-store.interface';

export interface RedisStoreOptions {
  /** `redis://host:port/db`, or ioredis connection options. Default `redis://127.0.0.1:6379`. */
  readonly connection?: string | Record<string, unknown>;
  /** An ioredis client you already have (not closed by the store). */
  readonly client?: unknown;
  /** Namespace of every Redis key the store uses, so apps can share one Redis. Default `nestjs-precompute`. */
  readonly prefix?: string;
  /** How long a replica's claim on a combination lasts unless renewed (it is, while computing). Default 30,000. */
  readonly leaseMs?: number;
  /** Redis unreachable at startup: `fail` (default), or `local`: compute and serve locally, sync when Redis comes. */
  readonly onUnavailable?: 'fail' | 'local';
}

type Pending = { readonly op: 'put'; readonly entry: CacheEntry } | { readonly op: 'delete' };

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A store shared by several replicas, on Redis (ioredis, loaded only when used).
 *
 * - Every replica keeps all entries in memory: hits never wait for Redis.
 * - Entries live in one Redis hash; each change is published, so a refresh,
 *   an invalidation or a new result on one replica reaches the others at once.
 * - Replicas split a precompute: each combination is claimed with a lease
 *   (renewed while computing; a dead replica's lease expires and another
 *   replica computes it).
 * - Redis lost while running: replicas serve from memory, keep what they
 *   compute, and when Redis is back push what it lacks and take what changed.
 */
export class RedisStore implements PrecomputeStore {
  private readonly memory = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners: Array<(keys: readonly string[]) => void> = [];
  private readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private client!: Redis;
  private subscriber?: Redis;
  private ownsClient = false;
  private available = false;
  private opened = false;
  private logger!: LoggerService;

  constructor(private readonly options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'nestjs-precompute';
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  private get entriesKey(): string {
    return `${this.prefix}:entries`;
  }
  private get channel(): string {
    return `${this.prefix}:changes`;
  }
  private leaseKey(key: string): string {
    return `${this.prefix}:lease:${key}`;
  }

  describe(): string {
    return `Redis (prefix "${this.prefix}")`;
  }

  async open(context: StoreContext): Promise<void> {
    this.logger = context.logger;
    this.client = (this.options.client as Redis | undefined) ?? (await this.createClient());
    this.ownsClient = this.options.client === undefined;
    this.client.on('error', () => undefined);
    try {
      if (this.client.status === 'wait') await this.client.connect();
      await this.client.ping();
      this.available = true;
    } catch (error) {
      if (this.options.onUnavailable !== 'local') {
        await this.close();
        throw new Error(
          `Cannot reach Redis for ${this.describe()}: ${(error as Error).message}. Start Redis or fix the connection ` +
            "options; or set onUnavailable: 'local' to compute and serve locally until Redis is reachable.",
        );
      }
      this.logger.warn(`Redis is unreachable (${(error as Error).message}); computing and serving locally until it is back`);
    }
    this.client.on('ready', () => void this.reconnected());
    this.client.on('close', () => this.lost());
    this.subscriber = this.client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => void this.onMessage(message));
    void this.subscriber.subscribe(this.channel).catch(() => undefined);
    if (this.available) await this.sync();
    this.opened = true;
  }

  get(key: string): CacheEntry | undefined {
    return this.memory.get(key);
  }

  entries(): IterableIterator<CacheEntry> {
    return this.memory.values();
  }

  onExternalChange(listener: (keys: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  async put(entries: readonly CacheEntry[]): Promise<void> {
    for (const entry of entries) {
      this.memory.set(entry.key, entry);
      this.pending.set(entry.key, { op: 'put', entry });
    }
    await this.flush();
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.memory.delete(key);
      this.pending.set(key, { op: 'delete' });
    }
    await this.flush();
  }

  async claim(key: string): Promise<Claim | undefined> {
    // Without Redis every replica is on its own
    if (!this.available) return { release: async () => undefined };
    const leaseKey = this.leaseKey(key);
    try {
      const taken = await this.client.set(leaseKey, this.instance, 'PX', this.leaseMs, 'NX');
      if (taken !== 'OK') return undefined;
      // Another replica may have stored it and let go just now, its notice still on the way: the caller re-checks
      const stored = await this.client.hget(this.entriesKey, key);
      if (stored !== null) this.memory.set(key, deserialize(key, stored, this.describe()));
    } catch {
      return { release: async () => undefined };
    }
    const renew = setInterval(() => {
      void this.client.eval(RENEW, 1, leaseKey, this.instance, String(this.leaseMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.client.eval(RELEASE, 1, leaseKey, this.instance).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.opened && this.available) await this.flush();
    this.subscriber?.disconnect();
    if (this.ownsClient) this.client?.disconnect();
  }

  /** Writes the Redis contents to a cache file (the JSON file store's format), e.g. to inspect or edit them. */
  async exportToFile(file: string): Promise<number> {
    const entries = await this.readAll();
    await writeFile(file, [...formatCacheFile(entries.values())].join(''));
    return entries.size;
  }

  /** Loads a cache file (e.g. built in CI) into Redis and tells the replicas. */
  async importFromFile(file: string): Promise<number> {
    const entries = parseCacheFile(await readFile(file, 'utf8'), file);
    await this.put([...entries.values()]);
    return entries.size;
  }

  private async createClient(): Promise<Redis> {
    const module = (await import('ioredis').catch(() => {
      throw new Error("RedisStore needs the ioredis package: npm install ioredis");
    })) as { default?: unknown; Redis?: unknown };
    const RedisClass = (module.Redis ?? module.default) as new (...args: unknown[]) => Redis;
    const settings: RedisOptions = {
      lazyConnect: true,
      // Writes while Redis is away wait in this store's own queue, not in the client
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Before the first connection, retry only when asked to work without Redis
      retryStrategy: (times: number) =>
        this.available || this.opened || this.options.onUnavailable === 'local' ? Math.min(100 * 2 ** times, 2000) : null,
    };
    const connection = this.options.connection ?? 'redis://127.0.0.1:6379';
    return typeof connection === 'string' ? new RedisClass(connection, settings) : new RedisClass({ ...connection, ...settings });
  }

  /** Writes what is pending; on failure it stays pending until Redis is back. */
  async flush(): Promise<void> {
    if (!this.available || this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    const puts = batch.filter(([, change]) => change.op === 'put') as Array<[string, Extract<Pending, { op: 'put' }>]>;
    const deletes = batch.filter(([, change]) => change.op === 'delete').map(([key]) => key);
    try {
      const multi = this.client.multi();
      if (puts.length) multi.hset(this.entriesKey, ...puts.flatMap(([key, change]) => [key, serialize(change.entry)]));
      if (deletes.length) multi.hdel(this.entriesKey, ...deletes);
      multi.publish(this.channel, JSON.stringify({ origin: this.instance, keys: batch.map(([key]) => key) }));
      await multi.exec();
    } catch (error) {
      for (const [key, change] of batch) if (!this.pending.has(key)) this.pending.set(key, change);
      this.logger.warn(`Could not write to Redis (${(error as Error).message}); ${this.pending.size} change(s) kept until it is back`);
    }
  }

  private async onMessage(message: string): Promise<void> {
    let keys: string[];
    try {
      const parsed = JSON.parse(message) as { origin?: string; keys?: string[] };
      if (parsed.origin === this.instance || !Array.isArray(parsed.keys)) return;
      keys = parsed.keys;
    } catch {
      return;
    }
    const values = await this.client.hmget(this.entriesKey, ...keys).catch(() => undefined);
    if (!values) return;
    keys.forEach((key, index) => {
      const text = values[index];
      if (text === null) this.memory.delete(key);
      else {
        // A value someone wrote into Redis by hand may not be an entry: keep what is served now
        const entry = this.tryDeserialize(key, text);
        if (entry) this.memory.set(key, entry);
      }
    });
    for (const listener of this.listeners) listener(keys);
  }

  private tryDeserialize(key: string, text: string): CacheEntry | undefined {
    try {
      return deserialize(key, text, this.describe());
    } catch (error) {
      this.logger.error(
        `Ignored the Redis value of "${key}" in ${this.entriesKey}: ${(error as Error).message}. ` +
          'Fix or delete it (redis-export, edit, redis-import).',
      );
      return undefined;
    }
  }

  private lost(): void {
    if (!this.available) return;
    this.available = false;
    this.logger.warn(`Lost the connection to Redis; serving from memory and retrying`);
  }

  private async reconnected(): Promise<void> {
    if (this.available || !this.opened) return;
    this.available = true;
    this.logger.log('Redis is back: synchronising');
    try {
      const queued = this.pending.size;
      await this.flush();
      const { pulled, pushed } = await this.sync();
      const total = queued + pushed;
      this.logger.log(`Synchronised with Redis: ${total} entr${total === 1 ? 'y' : 'ies'} pushed, ${pulled} taken`);
    } catch (error) {
      this.logger.warn(`Synchronising with Redis failed (${(error as Error).message}); retrying when it reconnects`);
    }
  }

  /**
   * Merges Redis and memory: entries only Redis has, or newer there, come
   * into memory; entries only this replica has (computed while Redis was
   * away, or lost by a Redis restart) go to Redis.
   */
  private async sync(): Promise<{ pulled: number; pushed: number }> {
    const remote = await this.readAll();
    const changed: string[] = [];
    for (const [key, entry] of remote) {
      const local = this.memory.get(key);
      if (!local || local.computedAt < entry.computedAt) {
        this.memory.set(key, entry);
        changed.push(key);
      }
    }
    const missing = [...this.memory.values()].filter((entry) => {
      const theirs = remote.get(entry.key);
      return !theirs || theirs.computedAt < entry.computedAt;
    });
    if (missing.length) await this.put(missing);
    if (changed.length) for (const listener of this.listeners) listener(changed);
    return { pulled: changed.length, pushed: missing.length };
  }

  private async readAll(): Promise<Map<string, CacheEntry>> {
    const entries = new Map<string, CacheEntry>();
    let cursor = '0';
    do {
      const [next, fields] = await this.client.hscan(this.entriesKey, cursor, 'COUNT', 1000);
      for (let i = 0; i < fields.length; i += 2) {
        const entry = this.tryDeserialize(fields[i], fields[i + 1]);
        if (entry) entries.set(fields[i], entry);
      }
      cursor = next;
    } while (cursor !== '0');
    return entries;
  }
}

function serialize(entry: CacheEntry): string {
  return storedJson(entry);
}

function deserialize(key: string, text: string, source: string): CacheEntry {
  return toEntry(key, JSON.parse(text), source);
}
