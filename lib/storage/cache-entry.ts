import { createHash } from 'node:crypto';

/** One precomputed answer. */
export interface CacheEntry {
  /** The request it answers, e.g. `GET /sales-report?store_id=101&subregion=EMEA`. */
  readonly key: string;
  /** The JSON body a client receives. */
  readonly value: unknown;
  /** When it was computed (epoch ms); 0 when unknown (an entry a person added). */
  readonly computedAt: number;
  /** Hash of the value as computed; a value a person edited no longer matches it. */
  readonly hash: string;
  /** `@Precomputed({ version })` of the handler that computed it. */
  readonly version?: string;
}

/** A content hash of a JSON value: `sha256-<base64url>` of its compact JSON text. */
export function hashValue(value: unknown): string {
  return hashText(JSON.stringify(value) ?? 'null');
}

export function hashText(text: string): string {
  return `sha256-${createHash('sha256').update(text).digest('base64url')}`;
}

const editedCache = new WeakMap<CacheEntry, boolean>();

/** Whether a person changed the value since it was computed (memoized per entry). */
export function isEdited(entry: CacheEntry): boolean {
  let edited = editedCache.get(entry);
  if (edited === undefined) {
    edited = entry.hash !== hashValue(entry.value);
    editedCache.set(entry, edited);
  }
  return edited;
}

export function createEntry(key: string, value: unknown, version?: string, computedAt = Date.now()): CacheEntry {
  return { key, value, computedAt, hash: hashValue(value), ...(version === undefined ? {} : { version }) };
}
