import { describe, expect, it } from '@jest/globals';
import { createEntry, entryValue, isEdited } from '../cache-entry';
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
