import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, ParseEnumPipe, Query } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { CallLog } from './helpers/call-log';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Kind {
  A = 'a',
  B = 'b',
}
const calls = new CallLog();

@Controller('things')
class ThingsController {
  @Get()
  @Precomputed()
  get(@Query('kind', new ParseEnumPipe(Kind)) kind: Kind) {
    calls.record(kind);
    return { kind };
  }
}

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('hostile content', () => {
  it('__proto__ and constructor keys in the file are plain data, served as written', async () => {
    const file = dir.file('hostile.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'nestjs-precompute/1',
        entries: {
          __proto__: { value: { polluted: true } },
          'GET /things?kind=a': { value: JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "kind": "a"}') },
          'GET /things?kind=b': { value: { kind: 'b' } },
        },
      }),
    );
    const app = await createTestApp({ precompute: file, controllers: [ThingsController], logger: new MemoryLogger() });
    const res = await request(app.getHttpServer()).get('/things?kind=a').expect(200);
    expect(res.text).toBe('{"__proto__":{"polluted":true},"constructor":1,"kind":"a"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // hostile query keys are not a combination: they go through the pipeline
    await request(app.getHttpServer()).get('/things?kind=a&__proto__=x&constructor=y').expect(200);
    await request(app.getHttpServer()).get('/things?__proto__[polluted]=1').expect(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await app.close();
    // The orphan "__proto__" entry was kept
    expect(JSON.parse(readFileSync(file, 'utf8')).entries).toHaveProperty(['__proto__']);
  });
});

describe('a cache directory that is a file', () => {
  // Issue 13: it can never be written, so startup fails with the fix (it used to retry forever)
  it('fails startup naming the file and the fix, and leaves the file untouched', async () => {
    const blocker = dir.file('not-a-directory');
    writeFileSync(blocker, 'a file where the cache directory should be');
    const file = `${blocker}/cache.json`;
    calls.reset();
    await expect(createTestApp({ precompute: file, controllers: [ThingsController] })).rejects.toThrow(
      `option "cacheFile" is "${file}", but ${blocker} is a file, not a directory`,
    );
    expect(calls.count()).toBe(0);
    expect(readFileSync(blocker, 'utf8')).toBe('a file where the cache directory should be');
  });
});

describe('an unwritable cache directory (a read-only mount)', () => {
  it('logs a clear error, computes and serves from memory, and writes once the directory is writable', async () => {
    const readOnly = dir.file('read-only');
    mkdirSync(readOnly);
    execFileSync('mount', ['--bind', readOnly, readOnly]);
    execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
    const file = `${readOnly}/cache.json`;
    const logger = new MemoryLogger();
    calls.reset();
    try {
      const app = await createTestApp({ precompute: file, controllers: [ThingsController], logger });
      expect(logger.lines.join('\n')).toMatch(/Cannot (lock|write) .*read-only\/cache\.json/);
      expect(calls.count()).toBe(2);
      await request(app.getHttpServer()).get('/things?kind=b').expect(200, { kind: 'b' });
      expect(calls.count()).toBe(2);
      expect(app.get(PrecomputeService).get(ThingsController, 'get', { kind: 'a' })).toEqual({ kind: 'a' });
      expect(existsSync(file)).toBe(false);
      // The directory becomes writable: the retry writes everything
      execFileSync('mount', ['-o', 'remount,bind,rw', readOnly]);
      await logger.waitFor('works again');
      expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).entries)).toEqual(['GET /things?kind=a', 'GET /things?kind=b']);
      await app.close();
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });
});
