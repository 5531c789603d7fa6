import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { closeSync, openSync, readSync, statfsSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import request from 'supertest';
import { Precomputed } from '../lib';
import { hashText } from '../lib/storage/cache-entry';
import { ADAPTERS, createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

/**
 * A cache file over 512 MiB (the longest string Node can hold) loads and serves:
 * the store reads it streaming. The file is generated here; without the disk
 * space for it the suite is skipped, and its name says why.
 */
const ENTRIES = 600;
const VALUE_CHARS = 1 << 20;
const OVER_STRING_LIMIT = 513 * 2 ** 20;
// The file, the journal and the file it is folded into, the oversized entry, and room to spare
const NEEDED_BYTES = 3 * ENTRIES * (VALUE_CHARS + 300) + OVER_STRING_LIMIT + 2 ** 30;
const free = (() => {
  const info = statfsSync(tmpdir());
  return info.bavail * info.bsize;
})();
const enoughSpace = free >= NEEDED_BYTES;
const GiB = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const itWithSpace = enoughSpace ? it : it.skip;
const why = enoughSpace ? '' : ` (skipped: ${GiB(free)} free in ${tmpdir()}, needs ${GiB(NEEDED_BYTES)})`;

const IDS = Array.from({ length: ENTRIES }, (_, i) => String(i));

/** The value of entry `id`: about 1 MiB, different for each id. */
function valueOf(id: string): { id: string; text: string } {
  return { id, text: `${id}:`.padEnd(VALUE_CHARS, String.fromCharCode(97 + (Number(id) % 26))) };
}

@Controller('big')
class BigController {
  @Get()
  @Precomputed({ params: { id: IDS } })
  get(@Query('id') id: string): object {
    // startup is 'off': a 200 proves the cache file answered
    throw new Error(`computed live for id ${id}`);
  }
}

/** Writes a file of the module's format a piece at a time, like the module would. */
function writeLargeCache(path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, '{\n  "format": "nestjs-precompute/1",\n  "entries": {');
    IDS.forEach((id, i) => {
      const value = valueOf(id);
      const text = JSON.stringify(value);
      writeSync(
        fd,
        `${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(`GET /big?id=${id}`)}: {\n      "computedAt": "2026-11-27T09:00:00.000Z",\n` +
          `      "hash": "${hashText(text)}",\n      "value": ${JSON.stringify(value, null, 2).replace(/\n/g, '\n      ')}\n    }`,
      );
    });
    writeSync(fd, '\n  }\n}\n');
  } finally {
    closeSync(fd);
  }
}

/** Edits one character of entry `id`'s value in place, as a person would; returns the value it now holds. */
function editInPlace(path: string, id: string): { id: string; text: string } {
  const fd = openSync(path, 'r+');
  try {
    const marker = Buffer.from(`"text": "${id}:`);
    const window = Buffer.alloc(4 * VALUE_CHARS);
    const start = Math.max(0, Number(id) * (VALUE_CHARS + 200) - VALUE_CHARS);
    const found = window.subarray(0, readSync(fd, window, 0, window.length, start)).indexOf(marker);
    if (found === -1) throw new Error(`entry ${id} not found near offset ${start}`);
    writeSync(fd, 'Z', start + found + marker.length);
  } finally {
    closeSync(fd);
  }
  const value = valueOf(id);
  return { id, text: `${id}:Z${value.text.slice(id.length + 2)}` };
}

/** Resolves with the first logged line containing `text`, or fails after `ms` naming what it waited for. */
function waitForLine(logger: MemoryLogger, text: string, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    logger.waitFor(text),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no log line with "${text}" within ${ms} ms; last lines:\n${logger.lines.slice(-5).join('\n')}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The journal a run of large results leaves when it is killed before compacting: over 512 MiB. */
function writeLargeJournal(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const id of IDS) {
      const text = JSON.stringify(valueOf(id));
      writeSync(fd, `{"op":"put","key":${JSON.stringify(`GET /big?id=${id}`)},"computedAt":"2026-11-27T10:00:00.000Z","hash":"${hashText(text)}","value":${text}}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** A file whose one entry is longer than any string Node can hold. */
function writeOversizedEntry(path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, '{\n  "entries": {\n    "GET /big?id=0": { "value": "');
    const chunk = Buffer.alloc(2 ** 20, 'y');
    for (let written = 0; written < OVER_STRING_LIMIT; written += chunk.length) writeSync(fd, chunk);
    writeSync(fd, '" }\n  }\n}\n');
  } finally {
    closeSync(fd);
  }
}

describe(`a cache file over 512 MiB${why}`, () => {
  const dir = tempDir('precompute-large-');
  const file = dir.file('large.json');
  beforeAll(() => {
    if (enoughSpace) writeLargeCache(file);
  }, 300_000);
  afterAll(() => dir.cleanup());

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication | undefined;
    afterAll(async () => app?.close());

    itWithSpace(
      'loads at startup and serves every entry from it',
      async () => {
        expect(statSync(file).size).toBeGreaterThan(512 * 2 ** 20);
        app = await createTestApp({ adapter, precompute: { cacheFile: file, startup: 'off', watchFile: false }, controllers: [BigController] });
        for (const id of ['0', '299', String(ENTRIES - 1)]) {
          const response = await request(app.getHttpServer()).get(`/big?id=${id}`).expect(200);
          expect(response.body).toEqual(valueOf(id));
        }
      },
      300_000,
    );
  });

  itWithSpace(
    'with the watcher on, a one-entry edit of the file is reloaded and served',
    async () => {
      const logger = new MemoryLogger();
      const watched = await createTestApp({ precompute: { cacheFile: file, startup: 'off', watchFile: true }, controllers: [BigController], logger });
      try {
        const edited = editInPlace(file, '300');
        expect(await waitForLine(logger, 'Reloaded', 240_000)).toContain('1 entry changed on disk');
        expect((await request(watched.getHttpServer()).get('/big?id=300').expect(200)).body).toEqual(edited);
        expect((await request(watched.getHttpServer()).get('/big?id=301').expect(200)).body).toEqual(valueOf('301'));
      } finally {
        await watched.close();
      }
    },
    300_000,
  );

  itWithSpace(
    'a journal over 512 MiB left by a crash is replayed at startup, served, and folded into the file',
    async () => {
      const journalDir = tempDir('precompute-large-journal-');
      try {
        const cache = journalDir.file('cache.json');
        writeLargeJournal(`${cache}.journal`);
        expect(statSync(`${cache}.journal`).size).toBeGreaterThan(512 * 2 ** 20);
        const logger = new MemoryLogger();
        const started = await createTestApp({ precompute: { cacheFile: cache, startup: 'off', watchFile: false }, controllers: [BigController], logger });
        try {
          expect(logger.lines.join('\n')).toContain(`Recovered ${ENTRIES} result(s)`);
          const response = await request(started.getHttpServer()).get(`/big?id=${ENTRIES - 1}`).expect(200);
          expect(response.body).toEqual(valueOf(String(ENTRIES - 1)));
        } finally {
          await started.close();
        }
        expect(statSync(cache).size).toBeGreaterThan(512 * 2 ** 20);
      } finally {
        journalDir.cleanup();
      }
    },
    300_000,
  );

  itWithSpace(
    'an entry longer than Node can hold in a string fails startup naming the entry and the limit, not the permissions',
    async () => {
      const oversized = dir.file('oversized.json');
      writeOversizedEntry(oversized);
      const logger = new MemoryLogger();
      const failure = await createTestApp({ precompute: { cacheFile: oversized, startup: 'off', watchFile: false }, controllers: [BigController], logger }).then(
        async (started) => {
          await started.close();
          throw new Error('the app started with an entry of 513 MiB');
        },
        (error: Error) => error.message,
      );
      expect(failure).toContain(`Cache file ${oversized} is not valid: entry "GET /big?id=0" is 513 MiB, more than the 512 MiB Node can hold in one string`);
      expect(failure).not.toContain('permissions');
    },
    300_000,
  );
});
