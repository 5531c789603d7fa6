import type { CacheEntry } from '../cache-entry';
import { toEntry } from '../json-file/cache-file-format';
import { storedJson } from '../stored-entry';

/** One entry as a Redis hash value: the cache file's entry fields, as JSON. */
export function serializeEntry(entry: CacheEntry): string {
  return storedJson(entry);
}

/** Throws a message naming the key and `source` when the text is not an entry. */
export function deserializeEntry(key: string, text: string, source: string): CacheEntry {
  return toEntry(key, JSON.parse(text), source);
}
