import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

/**
 * Values the module generates from a handler's own domain, refused by the
 * app's own ValidationPipe (a DTO without a conversion from the query string),
 * are a setup mistake: counted as failures with the fix, never stored as 400
 * "answers" that would make a build pass.
 */
const calls = new CallLog();

class FlagQuery {
  @IsOptional()
  @IsBoolean()
  detailed?: boolean;
}

class UnconvertedPage {
  @IsInt()
  @Min(1)
  @Max(3)
  n!: number;
}

class ConvertedPage {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3)
  n!: number;
}

@Controller('generated')
class GeneratedController {
  @Get('flag')
  @Precomputed()
  flag(@Query() query: FlagQuery) {
    calls.record('flag');
    return { detailed: query.detailed ?? null };
  }

  @Get('unconverted')
  @Precomputed()
  unconverted(@Query() query: UnconvertedPage) {
    calls.record('unconverted');
    return { n: query.n };
  }

  @Get('converted')
  @Precomputed()
  converted(@Query() query: ConvertedPage) {
    calls.record('converted');
    return { n: query.n };
  }
}

describe.each(ADAPTERS)('values refused by the app\'s own pipes (%s)', (adapter) => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('count as failures naming the property and the fix, and are never stored', async () => {
    calls.reset();
    const logger = new MemoryLogger();
    const file = dir.file('cache.json');
    const app = await createTestApp({
      adapter,
      precompute: { cacheFile: file, progress: false },
      controllers: [GeneratedController],
      logger,
      configure: (nest) => nest.useGlobalPipes(new ValidationPipe({ transform: true })),
    });
    try {
      const summary = await app.get(PrecomputeService).whenReady();
      // flag: 'true' and 'false' refused, absent accepted; unconverted: 1, 2, 3 refused; converted: all 3 fine
      expect({ failed: summary.failed, computed: summary.computed, answered: summary.answered }).toEqual({
        failed: 5,
        computed: 4,
        answered: undefined,
      });
      const errors = logger.lines.filter((line) => line.startsWith('ERROR'));
      expect(errors.join('\n')).toContain(
        "GeneratedController.unconverted: the app's pipes refuse @Query() UnconvertedPage = {\"n\":\"1\"}, a value nestjs-precompute generated",
      );
      expect(errors.join('\n')).toContain('n must be an integer number');
      expect(errors.join('\n')).toContain('add @Type(() => Number)');
      expect(errors.join('\n')).toContain("GeneratedController.flag: the app's pipes refuse @Query() FlagQuery = {\"detailed\":\"true\"}");
      const keys = Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { entries: object }).entries).sort();
      expect(keys).toEqual(['GET /generated/converted?n=1', 'GET /generated/converted?n=2', 'GET /generated/converted?n=3', 'GET /generated/flag']);
      expect(calls.count()).toBe(4);
      // Live, the app answers as it always did (its own 400), first and second request alike
      for (let i = 0; i < 2; i++) {
        await request(app.getHttpServer()).get('/generated/unconverted?n=2').expect(400);
        await request(app.getHttpServer()).get('/generated/converted?n=2').expect(200, { n: 2 });
      }
      expect(calls.count()).toBe(4);
    } finally {
      await app.close();
    }
  });
});
