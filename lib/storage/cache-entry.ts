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

/** A content hash of a value's compact JSON text: `sha256-<base64url>`. */
export function hashText(text: string): string {
  return `sha256-${createHash('sha256').update(text).digest('base64url')}`;
}

const texts = new WeakMap<CacheEntry, string>();
const editedCache = new WeakMap<CacheEntry, boolean>();

/**
 * The compact JSON text of an entry's value: the body a hit sends, the value in
 * a journal line. Made once per entry; an entry made by `createEntry` comes with it.
 */
export function entryText(entry: CacheEntry): string {
  let text = texts.get(entry);
  if (text === undefined) {
    text = JSON.stringify(entry.value) ?? 'null';
    texts.set(entry, text);
  }
  return text;
}

/** Whether a person changed the value since it was computed (memoized per entry). */
export function isEdited(entry: CacheEntry): boolean {
  let edited = editedCache.get(entry);
  if (edited === undefined) {
    edited = entry.hash !== hashText(entryText(entry));
    editedCache.set(entry, edited);
  }
  return edited;
}

/** A new entry; `text` is the value's compact JSON when the caller has it already. */
export function createEntry(
  key: string,
  value: unknown,
  version?: string,
  computedAt = Date.now(),
  text = JSON.stringify(value) ?? 'null',
): CacheEntry {
  const entry: CacheEntry = { key, value, computedAt, hash: hashText(text), ...(version === undefined ? {} : { version }) };
  texts.set(entry, text);
  return entry;
}
