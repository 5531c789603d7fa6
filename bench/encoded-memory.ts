/**
 * Memory per entry with its precompressed encodings (`compress`, default on):
 *   node --expose-gc .build/bench/encoded-memory.js <count> <bytes>
 * Builds <count> entries of a ~<bytes> JSON body (each body distinct), measures
 * RSS and heap+external after a GC with the identity body only (as stored),
 * then again once each entry also holds its br and gzip bytes (made the way
 * hits make them, through EncodedBodies). Prints `RESULT <json>`.
 */
import { createEntry, type CacheEntry } from '../lib/storage/cache-entry';
import { COMPRESS_DEFAULTS } from '../lib/serving/compress-settings';
import { EncodedBodies } from '../lib/serving/encoded-bodies';

const count = Number(process.argv[2] ?? 1000);
const bytes = Number(process.argv[3] ?? 1024);
const gc = (globalThis as { gc?: () => void }).gc;

function usage(): { rssMb: number; heapMb: number; externalMb: number } {
  gc?.();
  const memory = process.memoryUsage();
  return { rssMb: memory.rss / 1e6, heapMb: memory.heapUsed / 1e6, externalMb: (memory.external + memory.arrayBuffers) / 1e6 };
}

/** A JSON body of about `size` bytes, different per entry (so nothing is shared), compressing like a report. */
function body(i: number, size: number): unknown {
  const rows: unknown[] = [];
  let length = 0;
  for (let row = 0; length < size - 60; row++) {
    const item = { store: `store-${i}-${row}`, city: ['Berlin', 'Paris', 'Madrid'][row % 3], revenue: (i * 7919 + row * 104729) % 90000, margin: (row % 100) / 100 };
    length += JSON.stringify(item).length + 1;
    rows.push(item);
  }
  return { region: 'EMEA', rows };
}

async function main(): Promise<void> {
  const before = usage();
  const entries: CacheEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(createEntry(`GET /report?i=${i}`, body(i, bytes)));
  const identity = usage();
  const bodies = new EncodedBodies(COMPRESS_DEFAULTS);
  let compressed = 0;
  // The thread pool makes them; a few at a time, as hits would
  const batch = 64;
  for (let i = 0; i < entries.length; i += batch) {
    const made = await Promise.all(
      entries.slice(i, i + batch).flatMap((entry) => COMPRESS_DEFAULTS.encodings.map((encoding) => bodies.encode(entry, entry.body, encoding))),
    );
    for (const buffer of made) compressed += buffer.length;
  }
  const encoded = usage();
  const identityBytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.body), 0);
  const result = {
    count,
    bodyBytes: Math.round(identityBytes / count),
    encodedBytesPerEntry: Math.round(compressed / count),
    identityRssMb: identity.rssMb - before.rssMb,
    encodedRssMb: encoded.rssMb - before.rssMb,
    perEntryIdentityKb: ((identity.rssMb - before.rssMb) * 1000) / count,
    perEntryEncodedKb: ((encoded.rssMb - before.rssMb) * 1000) / count,
    externalMb: encoded.externalMb - before.externalMb,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  // Keep everything alive until measured
  if (entries.length < 0) console.log(bodies);
}

void main();
