/**
 * A cache file configured through a symbolic link (into a volume) whose link a
 * person's tool replaces: `sed -i` writes a new file and renames it over the
 * link. The app keeps its data in the target and says, once, what happened and
 * how to restore the link; with the watcher on at once, with it off at the
 * next compaction. Real files, a real `sed`, on both adapters.
 */
import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

let generation = 1;

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ params: { region: ['EMEA', 'APAC'] } })
  get(@Query('region') region: string) {
    return { region, generation };
  }
}

const EMEA = 'GET /report?region=EMEA';

const VARIANTS = ADAPTERS.flatMap((adapter) => [
  [adapter, true],
  [adapter, false],
] as const);

describe.each(VARIANTS)('a symbolic link to the cache file replaced by sed -i (%s, watchFile: %s)', (adapter: AdapterName, watchFile: boolean) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    dir.cleanup();
  });

  it('keeps serving and writing the target, says once what happened and how to keep the edit, and the advice keeps it', async () => {
    dir = tempDir();
    generation = 1;
    mkdirSync(dir.file('app'));
    mkdirSync(dir.file('volume'));
    const link = dir.file('app/cache.json');
    const target = dir.file('volume/real.json');
    symlinkSync('../volume/real.json', link);
    const logger = new MemoryLogger();
    app = await createTestApp({ adapter, precompute: { cacheFile: link, watchFile }, controllers: [ReportController], logger });
    const service = app.get(PrecomputeService);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    // The person edits EMEA's entry through the link with sed -i: the link becomes a regular file holding the edit
    execFileSync('sed', ['-i', '/"GET \\/report?region=EMEA"/,/}/ s/"generation": 1/"generation": 99/', link]);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8')).toContain('"generation": 99');
    const message = `${link} was a symbolic link to ${target} and is now a regular file`;
    // The link's watcher notices at once; without it, a compaction looks (refreshes add journal lines until one folds them)
    await waitUntil(async () => {
      if (logger.lines.some((line) => line.includes(message))) return true;
      if (!watchFile) await service.refresh({ params: { region: 'APAC' } });
      return undefined;
    }, 'the replaced link to be reported');
    const said = logger.lines.filter((line) => line.includes(message));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`\`ln -sf ${target} ${link}\``);
    expect(said[0]).toContain(`cp ${link} ${target}.edit && mv ${target}.edit ${target}`);
    // Meanwhile the target is served, not the edit
    expect((await request(app.getHttpServer()).get('/report?region=EMEA').expect(200)).body.generation).toBe(1);

    // The person follows the advice, word for word
    execFileSync('sh', ['-c', `cp ${link} ${target}.edit && mv ${target}.edit ${target} && ln -sf ${target} ${link}`]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    if (watchFile) {
      await waitUntil(
        async () => ((await request((app as INestApplication).getHttpServer()).get('/report?region=EMEA')).body.generation === 99 ? true : undefined),
        'the edit to be served',
      );
    }
    generation = 3;
    await service.refresh({ params: { region: 'APAC' } });
    expect((await request(app.getHttpServer()).get('/report?region=APAC').expect(200)).body.generation).toBe(3);
    await app.close();
    app = undefined;
    // The edit and the newer result are both in the target, and it was said once
    const inTarget = JSON.parse(readFileSync(target, 'utf8')).entries;
    expect(inTarget[EMEA].value.generation).toBe(99);
    expect(inTarget['GET /report?region=APAC'].value.generation).toBe(3);
    expect(logger.lines.filter((line) => line.includes(message))).toHaveLength(1);
  });

  it('notices the link restored, and a second replacement after it', async () => {
    dir = tempDir();
    mkdirSync(dir.file('app'));
    mkdirSync(dir.file('volume'));
    const link = dir.file('app/cache.json');
    const target = dir.file('volume/real.json');
    symlinkSync(target, link);
    const logger = new MemoryLogger();
    app = await createTestApp({ adapter, precompute: { cacheFile: link, watchFile }, controllers: [ReportController], logger });
    const replaced = `${link} was a symbolic link to ${target} and is now a regular file`;
    const restored = `${link} is a symbolic link to ${target} again`;
    const service = app.get(PrecomputeService);
    /** With the watcher, it notices; without it, a compaction looks (refreshes add journal lines until one folds them). */
    const noticed = (text: string, times: number) =>
      waitUntil(async () => {
        if (logger.lines.filter((line) => line.includes(text)).length === times) return true;
        if (!watchFile) await service.refresh();
        return undefined;
      }, `"${text}" logged ${times} time(s)`);
    execFileSync('sed', ['-i', 's/"generation"/"generation"/', link]);
    await noticed(replaced, 1);
    execFileSync('ln', ['-sf', target, link]);
    await noticed(restored, 1);
    execFileSync('sed', ['-i', 's/"generation"/"generation"/', link]);
    await noticed(replaced, 2);
    // Removed altogether: said so, with the command that restores it
    execFileSync('ln', ['-sf', target, link]);
    await noticed(restored, 2);
    rmSync(link);
    await noticed(`${link} was a symbolic link to ${target} and was removed`, 1);
    expect(logger.lines.find((line) => line.includes('and was removed'))).toContain(`\`ln -s ${target} ${link}\``);
  });
});
