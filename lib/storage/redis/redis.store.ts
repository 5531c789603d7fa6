/*
 * The Redis store's facade: connection lifecycle, the claim protocol, the
 * local memory and change notifications. Its parts live beside it
 * (local-cache, redis-rights, redis-permissions, redis-read, redis-lease,
 * redis-transfer, redis-entry-codec); it stays over 200 lines
 * because the three paths that move entries (startup, notices, reconnect)
 * share the same fields and must be read together.
 */
import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import { messages } from '../../precompute.messages';
import type { CacheEntry } from '../cache-entry';
import { ChangeCountingMap } from '../change-counting-map';
import type { Claim, PrecomputeStore, StoreContext } from '../precompute-store.interface';
import { LocalCache } from './local-cache';
import { createRedisClient } from './redis-client';
import { deserializeEntry, serializeEntry } from './redis-entry-codec';
import { holdLease } from './redis-lease';
import { rightsProblem } from './redis-permissions';
import { readRemote } from './redis-read';
import { classifyRedisError } from './redis-rights';
import { exportEntries, importEntries } from './redis-transfer';

export interface RedisStoreOptions {
  /** `redis://user:password@host:port/db`, or ioredis connection options. Default `redis://127.0.0.1:6379`. */
  readonly connection?: string | Record<string, unknown>;
  /** An ioredis client you already have (not closed by the store). */
  readonly client?: unknown;
  /** Namespace of every Redis key the store uses, so apps can share one Redis. Default `nestjs-precompute`. */
  readonly prefix?: string;
  /** How long a replica's claim on a combination lasts unless renewed (it is, while computing). Default 30,000. */
  readonly leaseMs?: number;
  /** Redis unreachable at startup: `fail` (default), or `local`: compute and serve locally, sync when Redis comes. */
  readonly onUnavailable?: 'fail' | 'local';
  /**
   * Bound the entries each replica holds in memory (default: all of them).
   * Entries outside it stay in Redis; `fetch(key)` reads one back in one round trip and keeps it.
   */
  readonly localCache?: { readonly maxBytes: number };
}

type Pending = { readonly op: 'put'; readonly entry: CacheEntry } | { readonly op: 'delete' };

/**
 * A store shared by several replicas, on Redis (ioredis, loaded only when used).
 *
 * - Every replica keeps entries in memory (all of them, or up to `localCache.maxBytes`).
 * - Entries live in one Redis hash; each change is published, so a refresh,
 *   an invalidation or a new result on one replica reaches the others at once.
 * - Replicas split work through `claim()`: a per-key lease (renewed while
 *   computing; a dead replica's lease lapses and another replica takes it).
 * - Redis lost while running: replicas serve from memory, keep what they
 *   compute, and when Redis is back push what it lacks and take what changed.
 */
export class RedisStore implements PrecomputeStore {
  private readonly local: LocalCache;
  private readonly pending = new ChangeCountingMap<string, Pending>();
  private readonly fetching = new Map<string, Promise<CacheEntry | undefined>>();
  /** Entries of outstanding claims: kept past the bound, so the claimer's re-check sees what the claim read. */
  private readonly claimed = new ChangeCountingMap<string, CacheEntry>();
  private readonly listeners: Array<(keys: readonly string[]) => void> = [];
  private readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private client!: Redis;
  private subscriber?: Redis;
  private ownsClient = false;
  private available = false;
  private opened = false;
  private refusedLogged = false;
  private lastError?: Error;
  private logger!: LoggerService;

  constructor(private readonly options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'nestjs-precompute';
    this.leaseMs = options.leaseMs ?? 30_000;
    const maxBytes = options.localCache?.maxBytes;
    if (maxBytes !== undefined && !(Number.isFinite(maxBytes) && maxBytes > 0)) {
      throw new Error(`RedisStore: localCache.maxBytes must be a number of bytes above 0, got ${String(maxBytes)}`);
    }
    this.local = new LocalCache(maxBytes);
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
    this.client.on('error', (error: Error) => (this.lastError = error));
    try {
      if (this.client.status === 'wait') await this.client.connect();
      // A user refused even PING is connected: the rights check below lists what it lacks
      await this.client.ping().catch((error: Error) => {
        if (classifyRedisError(error.message) !== 'no-permission') throw error;
      });
      this.available = true;
    } catch (error) {
      // ioredis reports "Connection is closed"; the reason Redis gave came through the error event
      const reason = this.lastError?.message ?? (error as Error).message;
      const kind = classifyRedisError(reason);
      if (this.options.onUnavailable !== 'local' || kind === 'wrong-password' || kind === 'no-password') {
        await this.close();
        if (kind === 'wrong-password') throw new Error(messages.redisWrongPassword(this.describe(), reason));
        if (kind === 'no-password') throw new Error(messages.redisNoPassword(this.describe(), reason));
        // The socket's error (ECONNREFUSED and the address) says more than ioredis's "Connection is closed."
        throw new Error(messages.redisUnreachable(this.describe(), reason));
      }
      this.logger.warn(`Redis is unreachable (${(error as Error).message}); computing and serving locally until it is back`);
    }
    this.client.on('ready', () => void this.reconnected());
    this.client.on('close', () => this.lost());
    this.subscriber = this.client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => void this.onMessage(message));
    const subscribed = this.subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: Error) => error,
    );
    if (this.available) {
      await this.checkRights(subscribed);
      await this.sync();
    }
    this.opened = true;
  }

  get(key: string): CacheEntry | undefined {
    const held = this.local.get(key);
    if (held !== undefined || !this.local.bounded) return held;
    // Not yet in Redis (written while it is away): kept here whatever the bound
    const change = this.pending.get(key);
    return change?.op === 'put' ? change.entry : this.claimed.get(key);
  }

  /**
   * `get()`, and on a local miss with `localCache` set, the entry read from
   * Redis in one round trip (then kept in memory). Concurrent fetches of one key share the read.
   */
  fetch(key: string): Promise<CacheEntry | undefined> {
    const held = this.get(key);
    if (held !== undefined || !this.local.bounded || !this.available) return Promise.resolve(held);
    let reading = this.fetching.get(key);
    if (!reading) {
      const started: Promise<CacheEntry | undefined> = this.client.hget(this.entriesKey, key).then(
        (text) => {
          const entry = text === null ? undefined : this.tryDeserialize(key, text);
          // A change announced meanwhile dropped this read: its value may be older than the change
          if (entry && this.fetching.get(key) === started) this.local.set(entry);
          if (this.fetching.get(key) === started) this.fetching.delete(key);
          return entry;
        },
        () => {
          if (this.fetching.get(key) === started) this.fetching.delete(key);
          return undefined;
        },
      );
      reading = started;
      this.fetching.set(key, reading);
    }
    return reading;
  }

  entries(): IterableIterator<CacheEntry> {
    return this.local.values();
  }

  generation(): number {
    // What get() answers from: memory, and with a bound the changes not yet in Redis and the claimed keys
    return this.local.changes + this.pending.changes + this.claimed.changes;
  }

  onExternalChange(listener: (keys: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  async put(entries: readonly CacheEntry[]): Promise<void> {
    for (const entry of entries) {
      this.fetching.delete(entry.key);
      if (this.claimed.has(entry.key)) this.claimed.set(entry.key, entry);
      this.local.set(entry);
      this.pending.set(entry.key, { op: 'put', entry });
    }
    await this.writePending();
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.fetching.delete(key);
      this.claimed.delete(key);
      this.local.delete(key);
      this.pending.set(key, { op: 'delete' });
    }
    await this.writePending();
  }

  async claim(key: string): Promise<Claim | undefined> {
    // Without Redis every replica is on its own
    if (!this.available) return { release: async () => undefined };
    const leaseKey = this.leaseKey(key);
    let read: CacheEntry | undefined;
    try {
      // One round trip: the lease, and the entry as Redis holds it now
      const results = await this.client.pipeline().set(leaseKey, this.instance, 'PX', this.leaseMs, 'NX').hget(this.entriesKey, key).exec();
      const [[leaseError, taken], [readError, stored]] = results as Array<[Error | null, unknown]>;
      if (leaseError) throw leaseError;
      read = readError ? this.get(key) : this.takeRemote(key, stored as string | null);
      if (taken !== 'OK') return undefined;
    } catch {
      return { release: async () => undefined };
    }
    const lease = holdLease(this.client, leaseKey, this.instance, this.leaseMs);
    if (!this.local.bounded || read === undefined) return lease;
    this.claimed.set(key, read);
    return {
      release: async () => {
        this.claimed.delete(key);
        await lease.release();
      },
    };
  }

  /** Everything put so far is in Redis once this resolves (or kept for when Redis is back). */
  async flush(): Promise<void> {
    await this.writePending();
  }

  async close(): Promise<void> {
    if (this.opened && this.available) await this.writePending();
    this.subscriber?.disconnect();
    if (this.ownsClient) this.client?.disconnect();
  }

  /** Writes the Redis contents to a cache file (the JSON file store's format), e.g. to inspect or edit them. */
  exportToFile(file: string): Promise<number> {
    return exportEntries(this.client, this.prefix, file, this.describe());
  }

  /** Loads a cache file (e.g. built in CI) into Redis and tells the replicas. */
  importFromFile(file: string): Promise<number> {
    return importEntries(this.client, this.prefix, file, this.instance);
  }

  private createClient(): Promise<Redis> {
    const settings: RedisOptions = {
      lazyConnect: true,
      // Writes while Redis is away wait in this store's own queue, not in the client
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Before the first connection, retry only when asked to work without Redis
      retryStrategy: (times: number) =>
        this.available || this.opened || this.options.onUnavailable === 'local' ? Math.min(100 * 2 ** times, 2000) : null,
    };
    return createRedisClient(this.options.connection ?? 'redis://127.0.0.1:6379', settings);
  }

  /** Fails startup when the user lacks a right the store needs, listing all of them. */
  private async checkRights(subscribed: Promise<Error | undefined>): Promise<void> {
    const problem = await rightsProblem(this.client, subscribed, {
      entriesKey: this.entriesKey,
      channel: this.channel,
      probeLeaseKey: this.leaseKey(`startup-check:${this.instance}`),
      instance: this.instance,
      prefix: this.prefix,
      store: this.describe(),
    });
    if (problem === undefined) return;
    await this.close();
    throw new Error(problem);
  }

  /** Writes what is pending; on failure it stays pending until Redis is back. */
  private async writePending(): Promise<void> {
    if (!this.available || this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    const puts = batch.filter(([, change]) => change.op === 'put') as Array<[string, Extract<Pending, { op: 'put' }>]>;
    const deletes = batch.filter(([, change]) => change.op === 'delete').map(([key]) => key);
    try {
      const multi = this.client.multi();
      if (puts.length) multi.hset(this.entriesKey, ...puts.flatMap(([key, change]) => [key, serializeEntry(change.entry)]));
      if (deletes.length) multi.hdel(this.entriesKey, ...deletes);
      multi.publish(this.channel, JSON.stringify({ origin: this.instance, keys: batch.map(([key]) => key) }));
      await multi.exec();
      this.refusedLogged = false;
    } catch (error) {
      for (const [key, change] of batch) if (!this.pending.has(key)) this.pending.set(key, change);
      const reason = (error as Error).message;
      const previous = (error as { previousErrors?: Error[] }).previousErrors?.map((cause) => cause.message).join('; ');
      const cause = previous || reason;
      // Refused rights do not heal by retrying: say so once, not on every write
      if (classifyRedisError(cause) === 'no-permission') {
        if (!this.refusedLogged) this.logger.error(messages.redisWritesRefused(this.describe(), cause, this.pending.size));
        this.refusedLogged = true;
      } else this.logger.warn(`Could not write to Redis (${reason}); ${this.pending.size} change(s) kept until it is back`);
    }
  }

  /**
   * Redis's value of `key` (null: none) replaces what memory holds, unless
   * this replica has a write of its own on the way; resolves with what `get(key)` now sees.
   */
  private takeRemote(key: string, text: string | null): CacheEntry | undefined {
    if (this.pending.has(key)) return this.get(key);
    this.fetching.delete(key);
    if (text === null) {
      this.local.delete(key);
      this.claimed.delete(key);
      return undefined;
    }
    // Unchanged: keep the same object, so callers comparing what they selected see no change
    const current = this.local.get(key) ?? this.claimed.get(key);
    if (current && serializeEntry(current) === text) return current;
    // A value someone wrote into Redis by hand may not be an entry: keep what is served now
    const entry = this.tryDeserialize(key, text);
    if (!entry) return this.get(key);
    this.local.set(entry);
    if (this.claimed.has(key)) this.claimed.set(key, entry);
    return entry;
  }

  private async onMessage(message: string): Promise<void> {
    let keys: string[];
    try {
      const parsed = JSON.parse(message) as { origin?: string; keys?: string[] };
      if (parsed.origin === this.instance || !Array.isArray(parsed.keys) || parsed.keys.length === 0) return;
      keys = parsed.keys;
    } catch {
      return;
    }
    // A bounded memory re-reads only what it holds; the rest is read when asked for
    const held = this.local.bounded ? keys.filter((key) => this.local.has(key) || this.fetching.delete(key)) : keys;
    if (held.length) {
      const values = await this.client.hmget(this.entriesKey, ...held).catch(() => undefined);
      if (!values) return;
      held.forEach((key, index) => this.takeRemote(key, values[index]));
    }
    for (const listener of this.listeners) listener(keys);
  }

  private tryDeserialize(key: string, text: string): CacheEntry | undefined {
    try {
      return deserializeEntry(key, text, this.describe());
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
      await this.writePending();
      const { pulled, pushed } = await this.sync();
      const total = queued + pushed;
      this.logger.log(`Synchronised with Redis: ${total} entr${total === 1 ? 'y' : 'ies'} pushed, ${pulled} taken`);
    } catch (error) {
      this.logger.warn(`Synchronising with Redis failed (${(error as Error).message}); retrying when it reconnects`);
    }
  }

  /**
   * Merges Redis and memory: entries only Redis has, or newer there, come
   * into memory (with a bounded memory: while they fit); entries only this
   * replica has (computed while Redis was away, or lost by a Redis restart) go to Redis.
   */
  private async sync(): Promise<{ pulled: number; pushed: number }> {
    const remote = await readRemote(this.client, this.entriesKey, this.local, (key, text) => this.tryDeserialize(key, text));
    const changed: string[] = [];
    for (const [key, entry] of remote) {
      const local = this.local.get(key);
      if (!local || local.computedAt < entry.computedAt) {
        if (this.local.bounded && !local && !this.local.fits(entry)) continue;
        this.local.set(entry);
        changed.push(key);
      }
    }
    const missing = [...this.local.values()].filter((entry) => {
      const theirs = remote.get(entry.key);
      return !theirs || theirs.computedAt < entry.computedAt;
    });
    if (missing.length) await this.put(missing);
    if (changed.length) for (const listener of this.listeners) listener(changed);
    return { pulled: changed.length, pushed: missing.length };
  }
}
