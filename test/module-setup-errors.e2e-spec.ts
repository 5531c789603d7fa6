import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Query, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Precomputed, PrecomputeModule, type PrecomputeModuleOptions } from '../lib';
import { createTestApp } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir();
afterAll(() => dir.cleanup());

let calls = 0;
@Controller('colors')
class ColorController {
  @Get()
  @Precomputed({ params: { color: ['red', 'blue'] } })
  get(@Query('color') color: string) {
    calls++;
    return { color };
  }
}

async function initError(imports: DynamicModule[] | (() => DynamicModule[])): Promise<string> {
  try {
    const list = typeof imports === 'function' ? imports() : imports;
    @Module({ imports: list, controllers: [ColorController] })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    await app.close();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('startup did not fail');
}

describe('configuration mistakes fail at startup, saying how to fix them', () => {
  it('a cacheFile under a path that is a file (not a directory), given directly or through the environment', async () => {
    const file = dir.file('not-a-directory');
    writeFileSync(file, 'x');
    const cacheFile = join(file, 'sub', 'cache.json');
    const message = await initError([PrecomputeModule.forRoot(cacheFile)]);
    expect(message).toContain(`option "cacheFile" is "${cacheFile}", but ${file} is a file, not a directory`);
    expect(message).toContain('Point cacheFile into a directory');
    process.env.NESTJS_PRECOMPUTE_CACHE_FILE = join(file, 'cache.json');
    try {
      expect(await initError([PrecomputeModule.forRoot(dir.file('fine.json'))])).toContain(`but ${file} is a file`);
    } finally {
      delete process.env.NESTJS_PRECOMPUTE_CACHE_FILE;
    }
    expect(existsSync(dir.file('fine.json'))).toBe(false);
  });

  it('a cacheFile in a directory that does not exist yet is not refused by this check', async () => {
    const app = await createTestApp({ precompute: dir.file('fresh.json'), controllers: [ColorController] });
    await app.close();
  });

  it('forRoot() without options says what to pass', async () => {
    const forRoot = PrecomputeModule.forRoot as unknown as () => DynamicModule;
    const message = await initError(() => [forRoot.call(PrecomputeModule)]);
    expect(message).toContain("PrecomputeModule.forRoot() needs options: forRoot('cache.json')");
    expect(message).not.toContain('Cannot read properties');
  });

  it.each([
    ['forRoot twice', () => [PrecomputeModule.forRoot(dir.file('one.json')), PrecomputeModule.forRoot(dir.file('two.json'))]],
    [
      'forRoot and forRootAsync',
      () => [PrecomputeModule.forRoot(dir.file('one.json')), PrecomputeModule.forRootAsync({ useFactory: () => ({ cacheFile: dir.file('two.json') }) })],
    ],
  ])('%s in one app: fails before computing anything, saying to import it once in the root module', async (_name, imports) => {
    calls = 0;
    const message = await initError(imports);
    expect(message).toContain('PrecomputeModule is imported 2 times (forRoot/forRootAsync, in AppModule)');
    expect(message).toContain('Import it once, in the root module: it is global');
    expect(calls).toBe(0);
    expect(existsSync(dir.file('one.json')) || existsSync(dir.file('two.json'))).toBe(false);
  });

  it('a second import in a feature module is named too', async () => {
    @Module({ imports: [PrecomputeModule.forRoot(dir.file('feature.json'))] })
    class ReportsModule {}
    const message = await initError([PrecomputeModule.forRoot(dir.file('root.json')), ReportsModule as unknown as DynamicModule]);
    expect(message).toMatch(/imported 2 times \(forRoot\/forRootAsync, in (AppModule, ReportsModule|ReportsModule, AppModule)\)/);
  });

  it.each([
    [{ maxCombinations: '10' }, 'option "maxCombinations" must be a whole number of at least 1, got "10" (a string)'],
    [{ concurrency: 2.5 }, 'option "concurrency" must be a whole number of at least 1, got 2.5 (a number)'],
    [{ retries: null }, 'option "retries" must be a whole number of at least 0, got null'],
    [{ progress: 'false' }, 'option "progress" must be one of true, false, got "false" (a string)'],
    [{ ttlSeconds: '60' }, 'option "ttlSeconds" must be a number of seconds above 0, got "60" (a string)'],
    [{ cacheControl: 5 }, 'option "cacheControl" must be a header value or true, got 5 (a number)'],
    [{ startup: ['off'] }, 'option "startup" must be one of "blocking", "background", "off", got ["off"] (an array)'],
  ])('a wrongly typed option %j names its type', async (bad, expected) => {
    const options = { cacheFile: dir.file('typed.json'), ...bad } as unknown as PrecomputeModuleOptions;
    expect(await initError([PrecomputeModule.forRoot(options)])).toContain(expected);
  });
});
