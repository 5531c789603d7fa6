import { describe, expect, it } from '@jest/globals';
import { createEntry, entryOf, entryValue, isEdited } from '../cache-entry';
import { CacheFileError, formatCacheFile, parseCacheFile, position } from './cache-file-format';

describe('the cache file format', () => {
  it('round-trips entries, sorted by key, pretty-printed', () => {
    const entries = [createEntry('GET /b', { x: [1, { y: 'z' }] }, 'v2', 1000), createEntry('GET /a', 'text', undefined, 2000)];
    const text = [...formatCacheFile(entries)].join('');
    expect(text.indexOf('"GET /a"')).toBeLessThan(text.indexOf('"GET /b"'));
    expect(JSON.parse(text)).toEqual({
      format: 'nestjs-precompute/1',
      entries: {
        'GET /a': { computedAt: '1970-01-01T00:00:02.000Z', hash: entries[1].hash, value: 'text' },
        'GET /b': { computedAt: '1970-01-01T00:00:01.000Z', version: 'v2', hash: entries[0].hash, value: { x: [1, { y: 'z' }] } },
      },
    });
    const parsed = parseCacheFile(text, 'f.json');
    expect(parsed.get('GET /b')).toEqual(entries[0]);
    expect(isEdited(parsed.get('GET /b')!)).toBe(false);
    expect([...formatCacheFile([])].join('')).toBe('{\n  "format": "nestjs-precompute/1",\n  "entries": {}\n}\n');
  });

  it('detects an edited value; whitespace changes are not edits', () => {
    const text = [...formatCacheFile([createEntry('GET /a', { n: 1 })])].join('');
    expect(isEdited(parseCacheFile(text.replace('"n": 1', '"n":    1'), 'f')!.get('GET /a')!)).toBe(false);
    expect(isEdited(parseCacheFile(text.replace('"n": 1', '"n": 2'), 'f')!.get('GET /a')!)).toBe(true);
  });

  it('keeps hostile keys as plain data', () => {
    const entries = parseCacheFile('{"entries": {"__proto__": {"value": {"polluted": true}}, "constructor": {"value": 1}}}', 'f');
    expect(entryValue(entries.get('__proto__')!)).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([...formatCacheFile(entries.values())].join('')).toContain('"__proto__": {');
  });

  it('reports syntax errors with line and column', () => {
    const error = (() => {
      try {
        parseCacheFile('{\n  "entries": {\n    "a": { "value": 1 }\n  \n', 'f.json');
      } catch (caught) {
        return caught as CacheFileError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CacheFileError);
    expect(error?.line).toBe(5);
    expect(error?.message).toContain('Cache file f.json (line 5, column 1) is not valid');
    expect(position('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('treats an empty file as an empty cache', () => {
    expect(parseCacheFile('  \n', 'f').size).toBe(0);
  });
});

describe('the cache file format, what it refuses', () => {
  const problem = (text: string) => {
    try {
      parseCacheFile(text, 'f.json');
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  it('says what is wrong, that the file was left alone, and how to fix it', () => {
    expect(problem('[]')).toBe(
      'Cache file f.json is not valid: expected an object with "format": "nestjs-precompute/1" and an "entries" object. ' +
        'It was left untouched. Fix it by hand (it is JSON), or delete it to compute everything again, ' +
        "or set onInvalidFile: 'move-aside' to keep it aside and start with an empty cache.",
    );
    expect(problem('null')).toContain('expected an object with "format"');
    expect(problem('{"entries": []}')).toContain('expected an object with "format"');
    expect(problem('{"format": "other/2", "entries": {}}')).toContain('unknown format "other/2", expected "nestjs-precompute/1"');
    expect(problem('{"entries": {"k": 1}}')).toContain('entry "k" must be an object with a "value" field');
    expect(problem('{"entries": {"k": {"computedAt": "2026-01-01T00:00:00Z"}}}')).toContain('entry "k" must be an object with a "value" field');
    expect(problem('{"entries": {"k": {"value": 1, "computedAt": "yesterday"}}}')).toContain('entry "k" has a "computedAt" that is not a date');
    expect(problem('{"entries": {"k": {"value": 1, "version": 2}}}')).toContain('entry "k" has a "version" that is not a string');
    expect(problem('{"entries": {"k": {"value": 1, "status": 1}}}')).toContain('entry "k" has a "status" that is not an HTTP status');
  });

  it('names the syntax error in words', () => {
    expect(problem('{"entries": {"a": 1,}}')).toMatch(/^Cache file f\.json \(line 1, column 21\) is not valid: property name expected \(/);
  });

  it('reads an entry a person added: no time, no hash (an edit), with a version', () => {
    const entry = parseCacheFile('{"entries": {"k": {"value": [1], "version": "v3"}}}', 'f').get('k')!;
    expect(entry).toEqual({ key: 'k', kind: 'json', body: '[1]', computedAt: 0, hash: '', version: 'v3' });
    expect(isEdited(entry)).toBe(true);
    expect(parseCacheFile('{"entries": {"k": {"value": 1, "computedAt": "2026-01-01T00:00:00Z"}}}', 'f').get('k')!.computedAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('sorts any number of keys', () => {
    const text = [...formatCacheFile(['c', 'a', 'b', 'a2'].map((key) => createEntry(key, 1, undefined, 0)))].join('');
    expect(Object.keys(JSON.parse(text).entries)).toEqual(['a', 'a2', 'b', 'c']);
  });

  it('counts lines and columns up to the end of the text', () => {
    expect(position('ab', 10)).toEqual({ line: 1, column: 11 });
    expect(position('a\n\nb', 3)).toEqual({ line: 3, column: 1 });
  });
});

describe('the cache file format, every kind of entry and every shape it refuses', () => {
  it('round-trips what says how to read a body (kind, status, file headers, encoding) through the file', () => {
    const entries = [
      entryOf('GET /csv', { kind: 'text', body: 'a,b\n1,2\n' }, undefined, 0),
      entryOf('GET /missing', { kind: 'json', body: '{"statusCode":404}', status: 404 }, undefined, 0),
      entryOf('GET /pdf', { kind: 'file', body: Buffer.from([0x25, 0x50, 0x00, 0xff]), file: { type: 'application/pdf', disposition: 'attachment', length: 4 } }, 'v1', 0),
    ];
    const text = [...formatCacheFile(entries)].join('');
    expect(text).toContain('      "kind": "file",\n      "contentType": "application/pdf",\n');
    const parsed = parseCacheFile(text, 'f.json');
    for (const entry of entries) expect(parsed.get(entry.key)).toEqual(entry);
  });

  it('refuses a document or an entries field that is not an object, naming the file', () => {
    for (const text of ['"text"', '1', '{"entries": 1}', '{"entries": "x"}']) {
      expect(() => parseCacheFile(text, 'f.json')).toThrow('Cache file f.json is not valid: expected an object with "format"');
    }
  });

  it('refuses comments (the file is JSON, not JSONC), saying where', () => {
    expect(() => parseCacheFile('{\n  // my note\n  "entries": {}\n}', 'f.json')).toThrow(/^Cache file f\.json \(line 2, column 3\) is not valid: invalid comment token \(/);
  });

  it('gives the line of an offset that is a newline as the line the newline ends', () => {
    expect(position('a\nb', 1)).toEqual({ line: 1, column: 2 });
    expect(position('a\nb', 2)).toEqual({ line: 2, column: 1 });
  });
});
