import type { Redis } from 'ioredis';
import type { CacheEntry } from '../cache-entry';
import type { LocalCache } from './local-cache';

/** Fields per HMGET / HSCAN step: bounded replies whatever the hash's size. */
const STEP = 1000;

/**
 * What Redis holds, for a merge with memory. Unbounded memory: all of it.
 * Bounded: the entries memory holds now (to compare), plus the first entries
 * of a scan while they fit the room left, so startup loads no more than fits.
 */
export async function readRemote(
  client: Redis,
  entriesKey: string,
  local: LocalCache,
  deserialize: (key: string, text: string) => CacheEntry | undefined,
): Promise<Map<string, CacheEntry>> {
  const entries = new Map<string, CacheEntry>();
  const heldKeys = local.bounded ? [...local.keys()] : [];
  for (let start = 0; start < heldKeys.length; start += STEP) {
    const keys = heldKeys.slice(start, start + STEP);
    const values = await client.hmget(entriesKey, ...keys);
    keys.forEach((key, index) => {
      const text = values[index];
      const entry = text === null ? undefined : deserialize(key, text);
      if (entry) entries.set(key, entry);
    });
  }
  let room = local.maxBytes - local.bytes;
  let cursor = '0';
  do {
    const [next, fields] = await client.hscan(entriesKey, cursor, 'COUNT', STEP);
    for (let i = 0; i < fields.length && room > 0; i += 2) {
      const entry = deserialize(fields[i], fields[i + 1]);
      if (!entry || entries.has(entry.key)) continue;
      entries.set(fields[i], entry);
      if (local.bounded) room -= fields[i + 1].length + fields[i].length;
    }
    cursor = next;
  } while (cursor !== '0' && room > 0);
  return entries;
}
