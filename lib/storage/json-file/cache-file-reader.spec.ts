import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEntry, entryOf, entryValue, isEdited, type CacheEntry } from '../cache-entry';
import { CacheFileError, formatCacheFile, parseCacheFile } from './cache-file-format';
import { readCacheFile, readChangedEntries } from './cache-file-reader';

const entryValueOf = (entry: CacheEntry | undefined): unknown => (entry ? entryValue(entry) : undefined);

const dir = mkdtempSync(join(tmpdir(), 'precompute-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function fileWith(text: string): string {
  const path = join(dir, `cache-${files++}.json`);
  writeFileSync(path, text);
  return path;
}

function textOf(entries: readonly CacheEntry[]): string {
  return [...formatCacheFile(entries)].join('');
}

async function errorOf(promise: Promise<unknown>): Promise<CacheFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CacheFileError) return error;
    throw error;
  }
  throw new Error('expected a CacheFileError, the file was read');
}

const sample = [
  createEntry('GET /b', { x: [1, { y: 'z "quoted" \\ back' }], nested: { deep: [[], {}] } }, 'v2', 1000),
  createEntry('GET /a', 'text with } and ] and { inside', undefined, 2000),
  createEntry('GET /é?q=ü', [true, false, null, -1.5e3, '\u2028'], undefined, 3000),
  createEntry('GET /n', 42, undefined, 4000),
  // Escaped quotes next to brackets: a tokenizer that ends strings early sees structure here
  createEntry('GET /"q"?x={', { says: 'a "} ] {" b \\', then: ['"]', '\\"}'] }, undefined, 5000),
  // Every body kind the file stores: text, scalar, bytes as base64, a file with headers, a 4xx answer
  entryOf('GET /t', { kind: 'text', body: 'plain "} text' }, undefined, 6000),
  entryOf('GET /s', { kind: 'scalar', body: 'true' }, undefined, 6001),
  entryOf('GET /bin', { kind: 'buffer', body: Buffer.from([0, 255, 0x7b, 0x22]) }, undefined, 6002),
  entryOf('GET /pdf', { kind: 'file', body: Buffer.from('%PDF-1 }"'), file: { type: 'application/pdf', disposition: 'attachment; filename="r.pdf"', length: 9 } }, undefined, 6003),
  entryOf('GET /gone', { kind: 'json', body: '{"statusCode":404,"message":"no"}', status: 404 }, undefined, 6004),
  entryOf('GET /nothing', { kind: 'null', body: '' }, undefined, 6005),
];

describe('readCacheFile (streaming)', () => {
  it('reads what parseCacheFile reads, whatever the size of each read', async () => {
    const text = textOf(sample);
    const path = fileWith(text);
    const expected = parseCacheFile(text, 'f.json');
    // Tiny reads cut every token somewhere: keys, strings, escapes, multi-byte characters
    for (const chunkBytes of [1, 2, 3, 7, 16, 64, 1000, 1 << 20]) {
      const { entries } = await readCacheFile(path, 'f.json', { chunkBytes });
      expect(entries).toEqual(expected);
      expect(isEdited(entries.get('GET /b') as CacheEntry)).toBe(false);
    }
  });

  it('reads compact and oddly spaced files, and hostile keys as plain data', async () => {
    const path = fileWith('\r\n\t{"entries":{"__proto__":{"value":{"polluted":true}} , "constructor" : {"value":1}},"extra":[1,{"a":"}"}]}  \n');
    const { entries } = await readCacheFile(path, 'f', { chunkBytes: 5 });
    expect(entryValueOf(entries.get('__proto__'))).toEqual({ polluted: true });
    expect(entryValueOf(entries.get('constructor'))).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats an empty file as an empty cache, and a duplicate key as JSON.parse does (the last wins)', async () => {
    expect((await readCacheFile(fileWith('  \n'), 'f')).entries.size).toBe(0);
    const { entries } = await readCacheFile(fileWith('{"entries":{"k":{"value":1},"k":{"value":2}}}'), 'f');
    expect(entryValueOf(entries.get('k'))).toBe(2);
  });

  it.each([
    ['{\n  "entries": {\n    "a": { "value": 1 }\n  \n', 'unexpected end of file'],
    ['{\n  "format": "nestjs-precompute/1",\n  "entries": {\n    "GET /colors?color=red": { "value": 1, }\n  }\n}\n', 'property name expected'],
    ['{\n  "entries": {\n    "a": { "value": [1, 2} }\n  }\n}', 'unexpected }'],
    ['{\n  "entries": {\n    "a": { "value": tru }\n  }\n}', 'invalid symbol'],
    ['{\n  "entries": {\n    "a": { "value": "x" }\n    "b": { "value": 1 }\n  }\n}', 'comma or } expected'],
    ['{\n  "entries": {\n    "a": {\n      "value": {\n        "n": 1,\n        "m": 2,,\n      }\n    }\n  }\n}', 'property name expected'],
    ['{"entries": {"a": {"value": "unterminated}}}', 'unterminated string'],
    ['{"entries": {}} trailing', 'end of file expected'],
    ['{"entries": {"a": {"value": 1}},}', 'property name expected'],
  ])('reports a syntax error at the line and column parseCacheFile reports: %j', async (text, problem) => {
    const expected = (() => {
      try {
        parseCacheFile(text, 'f.json');
      } catch (error) {
        return error as CacheFileError;
      }
      throw new Error('the sample parses');
    })();
    for (const chunkBytes of [3, 1 << 20]) {
      const error = await errorOf(readCacheFile(fileWith(text), 'f.json', { chunkBytes }));
      expect({ line: error.line, column: error.column }).toEqual({ line: expected.line, column: expected.column });
      expect(error.message).toContain(`Cache file f.json (line ${expected.line}, column ${expected.column}) is not valid: ${problem}`);
      // Only the file's line and column: a position counted from the start of one entry points nowhere
      expect(error.message).not.toMatch(/position \d/);
    }
  });

  it('rejects files of the wrong shape, naming the problem', async () => {
    expect((await errorOf(readCacheFile(fileWith('[1, 2]'), 'f'))).message).toContain('expected an object with "format"');
    expect((await errorOf(readCacheFile(fileWith('{"format": "nestjs-precompute/1"}'), 'f'))).message).toContain('and an "entries" object');
    expect((await errorOf(readCacheFile(fileWith('{"entries": [1]}'), 'f'))).message).toContain('and an "entries" object');
    expect((await errorOf(readCacheFile(fileWith('{"format": "other/2", "entries": {}}'), 'f'))).message).toContain('unknown format "other/2"');
    expect((await errorOf(readCacheFile(fileWith('{ "entries": { "GET /x": 5 } }'), 'f'))).message).toContain(
      'entry "GET /x" must be an object with a "value" field',
    );
  });

  it('holds one read plus one entry at a time, never the whole file', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => createEntry(`GET /grid?i=${i}`, { i, padding: 'x'.repeat(1000) }));
    const big = createEntry('GET /big', { rows: Array.from({ length: 5000 }, (_, i) => ({ i, name: `row ${i}` })) });
    const path = fileWith(textOf([...many, big]));
    const read = await readCacheFile(path, 'f', { chunkBytes: 16 * 1024 });
    expect(read.entries.size).toBe(2001);
    expect(read.bytes).toBeGreaterThan(2_000_000);
    // The buffer grew only to hold the one large entry (~150 KB pretty-printed), not the 2 MB file
    const bigBytes = Buffer.byteLength(JSON.stringify(entryValue(big), null, 2));
    expect(read.maxBufferedBytes).toBeGreaterThan(bigBytes);
    expect(read.maxBufferedBytes).toBeLessThanOrEqual(4 * (bigBytes + 16 * 1024));
    expect(read.maxBufferedBytes).toBeLessThan(read.bytes / 5);
    const small = await readCacheFile(fileWith(textOf(many)), 'f', { chunkBytes: 16 * 1024 });
    expect(small.maxBufferedBytes).toBe(16 * 1024);
  });
});

describe('readChangedEntries', () => {
  const before = Array.from({ length: 50 }, (_, i) => createEntry(`GET /r?i=${String(i).padStart(2, '0')}`, { i, rows: [i, i * 2] }, undefined, 1000 + i));

  it('returns only the entries whose bytes changed, the added ones, and the removed keys', async () => {
    const text = textOf(before);
    const path = fileWith(text);
    const first = await readCacheFile(path, 'f');
    expect(first.index.hashes.size).toBe(50);

    const edited = text
      .replace('"i": 7,', '"i": 700,')
      .replace(/,\n {4}"GET \/r\?i=20": \{[^}]*\[[^\]]*\]\n {6}\}\n {4}\}/, '')
      .replace('\n  }\n}\n', ',\n    "GET /added": { "value": "new" }\n  }\n}\n');
    writeFileSync(path, edited);
    const changes = await readChangedEntries(path, 'f', first.index, { chunkBytes: 100 });
    expect([...changes.entries.keys()].sort()).toEqual(['GET /added', 'GET /r?i=07']);
    expect(entryValueOf(changes.entries.get('GET /r?i=07'))).toEqual({ i: 700, rows: [7, 14] });
    expect(changes.removed).toEqual(['GET /r?i=20']);
    expect(changes.index.hashes.size).toBe(50);

    // Nothing changed since: nothing is parsed
    const again = await readChangedEntries(path, 'f', changes.index);
    expect(again.entries.size).toBe(0);
    expect(again.removed).toEqual([]);
  });

  it('still reports a syntax error anywhere in the file, changed entry or not', async () => {
    const text = textOf(before);
    const path = fileWith(text);
    const { index } = await readCacheFile(path, 'f');
    writeFileSync(path, text.replace('"GET /r?i=30": {', '"GET /r?i=30" {'));
    const error = await errorOf(readChangedEntries(path, 'f', index));
    expect(error.message).toContain('colon expected');
    expect(error.line).toBe(text.slice(0, text.indexOf('"GET /r?i=30"')).split('\n').length);
  });
});
