import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisStore } from '../lib';
import { createEntry, entryText, entryValue, type CacheEntry } from '../lib/storage/cache-entry';

const valueOf = (entry: CacheEntry | undefined): unknown => (entry ? entryValue(entry) : undefined);
import { MemoryLogger } from './helpers/test-app';
import { startRedis, type RedisServer } from './helpers/redis-server';

let redis: RedisServer;
let admin: Redis;
const open: RedisStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

async function store(prefix: string, localCache?: { maxBytes: number }): Promise<RedisStore> {
  const created = new RedisStore({ connection: redis.url, prefix, ...(localCache ? { localCache } : {}) });
  await created.open({ logger: new MemoryLogger() });
  open.push(created);
  return created;
}

const KB = 'x'.repeat(1000);
const keyOf = (i: number) => `GET /report?id=${i}`;
const entries = (count: number, tag = 'v1'): CacheEntry[] => Array.from({ length: count }, (_, i) => createEntry(keyOf(i), { id: i, tag, body: KB }));

/** Resolves with the keys of the next change notice the store receives from another process. */
function nextChange(target: RedisStore): Promise<readonly string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change notice arrived within 5 s')), 5000);
    target.onExternalChange((keys) => {
      clearTimeout(timer);
      resolve(keys);
    });
  });
}

describe('claim(): the coordination protocol on Redis', () => {
  it('reads the key\'s current entry from Redis into memory before returning the claim', async () => {
    const prefix = `claim${++prefixes}`;
    const replica = await store(prefix);
    // Written behind the replica's back (no notice): only the claim can pick it up
    const written = createEntry(keyOf(1), { from: 'another process' });
    await admin.hset(`${prefix}:entries`, keyOf(1), JSON.stringify({ computedAt: new Date().toISOString(), hash: written.hash, value: entryValue(written) }));
    expect(replica.get(keyOf(1))).toBeUndefined();
    const claim = await replica.claim(keyOf(1));
    expect(claim).toBeDefined();
    expect(valueOf(replica.get(keyOf(1)))).toEqual({ from: 'another process' });
    // While it is held, another process gets no claim, but still picks up the entry
    const other = await store(prefix);
    await admin.hset(`${prefix}:entries`, keyOf(1), JSON.stringify({ computedAt: new Date().toISOString(), hash: '', value: 'newer' }));
    expect(await other.claim(keyOf(1))).toBeUndefined();
    expect(valueOf(other.get(keyOf(1)))).toBe('newer');
    await claim?.release();
    // Deleted behind its back: the claim drops the copy in memory too
    await admin.hdel(`${prefix}:entries`, keyOf(1));
    const again = await other.claim(keyOf(1));
    expect(other.get(keyOf(1))).toBeUndefined();
    await again?.release();
    expect(await admin.keys(`${prefix}:lease:*`)).toEqual([]);
  });

  it('flush() resolves once every put is in Redis', async () => {
    const prefix = `flush${++prefixes}`;
    const replica = await store(prefix);
    void replica.put(entries(5));
    await replica.flush();
    expect(await admin.hlen(`${prefix}:entries`)).toBe(5);
  });
});

describe('localCache: a bounded memory per replica', () => {
  const tenEntries = (sample: CacheEntry) => (entryText(sample).length + sample.key.length + 64) * 10;

  it('by default every entry is held in memory', async () => {
    const prefix = `all${++prefixes}`;
    await (await store(prefix)).put(entries(100));
    const replica = await store(prefix);
    expect([...replica.entries()]).toHaveLength(100);
  });

  it('startup loads no more than fits; a local miss is read from Redis once and then kept, within the bound', async () => {
    const prefix = `bounded${++prefixes}`;
    const all = entries(100);
    await (await store(prefix)).put(all);
    const maxBytes = tenEntries(all[0]);
    const replica = await store(prefix, { maxBytes });
    const held = [...replica.entries()];
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(10);
    const outside = all.find((entry) => replica.get(entry.key) === undefined) as CacheEntry;
    const fetched = await replica.fetch(outside.key);
    expect(valueOf(fetched)).toEqual(entryValue(outside));
    // Kept: the next read needs no round trip
    expect(valueOf(replica.get(outside.key))).toEqual(entryValue(outside));
    // Reading everything keeps the memory bounded
    for (const entry of all) expect(valueOf(await replica.fetch(entry.key))).toEqual(entryValue(entry));
    expect([...replica.entries()].length).toBeLessThanOrEqual(10);
    expect(await replica.fetch('GET /report?id=missing')).toBeUndefined();
  });

  it('a change on another replica replaces a held entry, and is read fresh when not held', async () => {
    const prefix = `notice${++prefixes}`;
    const writer = await store(prefix);
    const all = entries(50);
    await writer.put(all);
    const replica = await store(prefix, { maxBytes: tenEntries(all[0]) });
    const heldKey = ([...replica.entries()][0] as CacheEntry).key;
    const notHeld = all.find((entry) => replica.get(entry.key) === undefined) as CacheEntry;
    const changed = nextChange(replica);
    await writer.put([createEntry(heldKey, { tag: 'v2' }), createEntry(notHeld.key, { tag: 'v2' })]);
    expect([...(await changed)].sort()).toEqual([heldKey, notHeld.key].sort());
    expect(valueOf(replica.get(heldKey))).toEqual({ tag: 'v2' });
    // Not loaded by the notice (it was not held), but a read sees the new value
    expect(replica.get(notHeld.key)).toBeUndefined();
    expect(valueOf(await replica.fetch(notHeld.key))).toEqual({ tag: 'v2' });
    // A delete drops the held copy
    const deleted = nextChange(replica);
    await writer.delete([heldKey]);
    await deleted;
    expect(replica.get(heldKey)).toBeUndefined();
    expect(await replica.fetch(heldKey)).toBeUndefined();
  });

  it('refuses a maxBytes that is not a positive number', () => {
    expect(() => new RedisStore({ localCache: { maxBytes: 0 } })).toThrow('localCache.maxBytes must be a number of bytes above 0, got 0');
  });
});

describe('claim() and what callers selected', () => {
  it('an entry Redis holds unchanged stays the same object after a claim (a caller comparing it sees no change)', async () => {
    const prefix = `same${++prefixes}`;
    const replica = await store(prefix);
    await replica.put(entries(1));
    const selected = replica.get(keyOf(0));
    const claim = await replica.claim(keyOf(0));
    expect(replica.get(keyOf(0))).toBe(selected);
    await claim?.release();
  });
});
