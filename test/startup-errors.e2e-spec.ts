import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  createParamDecorator,
  Get,
  Headers,
  Injectable,
  Param,
  Post,
  Query,
  Req,
  Res,
  Scope,
  type Type,
} from '@nestjs/common';
import { IsEnum, IsString } from 'class-validator';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, type PrecomputeModuleOptions } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir();
afterAll(() => dir.cleanup());

enum Color {
  Red = 'red',
  Blue = 'blue',
}
class FreeTextQuery {
  @IsString()
  text!: string;
}
class ColorQuery {
  @IsEnum(Color)
  color!: Color;
}
const User = createParamDecorator(() => 'someone');

@Controller('bad')
class BadController {
  @Get('body') @Precomputed() body(@Body() body: unknown) { return body; }
  @Get('free') @Precomputed() free(@Query('q') q: string) { return q; }
  @Get('dto') @Precomputed() dto(@Query() query: FreeTextQuery) { return query; }
  @Get('req') @Precomputed() req(@Req() req: unknown) { return typeof req; }
  @Get('res') @Precomputed() res(@Res() res: unknown) { return typeof res; }
  @Get('headers') @Precomputed() headers(@Headers('x') x: string) { return x; }
  @Get('custom') @Precomputed() custom(@User() user: string) { return user; }
  @Get('object') @Precomputed() object(@Query() query: Record<string, string>) { return query; }
  @Get('typo') @Precomputed({ params: { colour: Color } }) typo(@Query() query: ColorQuery) { return query; }
  @Post('post') @Precomputed() post() { return 1; }
}

@Injectable({ scope: Scope.REQUEST })
class PerRequest {}
@Controller('scoped')
class ScopedController {
  constructor(readonly perRequest: PerRequest) {}
  @Get() @Precomputed() get() { return 1; }
}

@Controller('huge')
class HugeController {
  @Get(':a')
  @Precomputed({ params: { a: range(200), b: range(100), c: Color } })
  get(@Param('a') a: string, @Query('b') b: string, @Query('c') c: string) { return { a, b, c }; }
}

@Controller('colors')
class ColorController {
  @Get() @Precomputed() get(@Query() query: ColorQuery) { return { color: query.color }; }
}

function range(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}

async function startupError(controllers: Type[], precompute: PrecomputeModuleOptions | string = dir.file('x.json')): Promise<string> {
  try {
    const app = await createTestApp({ precompute, controllers });
    await app.close();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('startup did not fail');
}

describe('handlers that cannot be precomputed', () => {
  it('fail startup with one message naming each handler, its parameter and the fix', async () => {
    const message = await startupError([BadController]);
    expect(message).toMatch(/cannot precompute these handlers \(\d+ problems\)/);
    expect(message).toContain('BadController.body: parameter #0 uses @Body()');
    expect(message).toContain("BadController.free: parameter #0 @Query('q') has no pipe that fixes its values");
    expect(message).toContain('new ParseEnumPipe(E)');
    expect(message).toContain('@Precomputed({ params: { <name>: [...] } })');
    expect(message).toContain('BadController.dto: property "text" (FreeTextQuery.text) has no discrete validator (it has @IsString)');
    expect(message).toContain('BadController.req: parameter #0 uses @Req()');
    expect(message).toContain('BadController.res: parameter #0 uses @Res(); a cached answer cannot be written through the raw response');
    expect(message).toContain('BadController.headers: parameter #0 uses @Headers()');
    expect(message).toContain('BadController.custom: parameter #0 uses a custom param decorator');
    expect(message).toContain('BadController.object: parameter #0 is a whole @Query() object without a DTO class');
    expect(message).toContain('BadController.typo: @Precomputed({ params }) names "colour", which is not a parameter of this handler (its parameters: color)');
    expect(message).toContain('BadController.post: only GET handlers can be precomputed (this one handles POST)');
  });

  it('rejects a request-scoped controller', async () => {
    const message = await createTestApp({ precompute: dir.file('x.json'), controllers: [ScopedController], providers: [PerRequest] })
      .then(() => 'started')
      .catch((error: Error) => error.message);
    expect(message).toContain('ScopedController.get: its controller is request-scoped');
  });

  it('refuses more than maxCombinations, giving the count and the largest domains', async () => {
    const message = await startupError([HugeController]);
    expect(message).toContain('HugeController.get has 40,000 combinations, more than maxCombinations (10,000)');
    expect(message).toContain('Largest domains: a (200: "0", "1", "2"');
    expect(message).toContain('b (100:');
    const app = await createTestApp({ precompute: { cacheFile: dir.file('huge.json'), maxCombinations: 40_000, startup: 'off' }, controllers: [HugeController] });
    await app.close();
  });
});

describe('a missing PrecomputeModule', () => {
  it('fails startup saying what to import', async () => {
    const { Test } = await import('@nestjs/testing');
    const moduleRef = Test.createTestingModule({ controllers: [ColorController] });
    await expect(moduleRef.compile().then((compiled) => compiled.createNestApplication({ logger: false }).init())).rejects.toThrow(
      "@Precomputed() is used, but PrecomputeModule is not imported. Add PrecomputeModule.forRoot('cache.json')",
    );
  });
});

describe('bad options', () => {
  it.each([
    [{ cacheFile: 'a.json', concurrency: -1 }, 'option "concurrency" must be a whole number of at least 1, got -1'],
    [{ cacheFile: 'a.json', concurency: 2 }, 'unknown option "concurency"'],
    [{ cacheFile: 'a.json', startup: 'later' }, 'option "startup" must be one of "blocking", "background", "off", got "later"'],
    [{}, "no cache file configured. Use PrecomputeModule.forRoot('cache.json')"],
    [{ cacheFile: dir.path }, `Cache file ${dir.path} is a directory. Set cacheFile to a file path`],
  ])('%j fails with a clear message', async (options, expected) => {
    expect(await startupError([ColorController], options as PrecomputeModuleOptions)).toContain(expected);
  });
});

describe('a cache file that does not parse', () => {
  const broken = '{\n  "format": "nestjs-precompute/1",\n  "entries": {\n    "GET /colors?color=red": { "value": 1, }\n  }\n}\n';

  it('fails startup naming the file, line and column, and leaves it untouched', async () => {
    const file = dir.file('broken.json');
    writeFileSync(file, broken);
    const message = await startupError([ColorController], file);
    expect(message).toContain(`Cache file ${file} (line 4, column 44) is not valid`);
    expect(message).toContain("onInvalidFile: 'move-aside'");
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('a file of the wrong shape fails too', async () => {
    const file = dir.file('shape.json');
    writeFileSync(file, '{ "entries": { "GET /colors?color=red": 5 } }');
    expect(await startupError([ColorController], file)).toContain('entry "GET /colors?color=red" must be an object with a "value" field');
    expect(readFileSync(file, 'utf8')).toBe('{ "entries": { "GET /colors?color=red": 5 } }');
  });

  it("with onInvalidFile: 'move-aside', keeps the bytes beside it and starts fresh", async () => {
    const moveDir = tempDir();
    const file = moveDir.file('cache.json');
    writeFileSync(file, broken);
    const logger = new MemoryLogger();
    const app = await createTestApp({ precompute: { cacheFile: file, onInvalidFile: 'move-aside' }, controllers: [ColorController], logger });
    const aside = readdirSync(moveDir.path).find((name) => name.startsWith('cache.json.invalid-'));
    expect(aside).toBeDefined();
    expect(readFileSync(moveDir.file(aside as string), 'utf8')).toBe(broken);
    expect(logger.lines.join('\n')).toContain(`Moved it to ${moveDir.file(aside as string)}`);
    await request(app.getHttpServer()).get('/colors?color=red').expect(200, { color: 'red' });
    await app.close();
    expect(existsSync(file)).toBe(true);
    moveDir.cleanup();
  });
});
