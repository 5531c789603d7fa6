import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { applyDecorators, Controller, Get, Module, Query, ValidationPipe, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiProperty, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { IsEnum, IsOptional } from 'class-validator';
import { Precomputed, PrecomputeModule, PrecomputeService } from '../lib';
import { createTestApp, MemoryLogger } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir();
afterAll(() => dir.cleanup());

enum Region {
  EMEA = 'EMEA',
  APAC = 'APAC',
}
class ReportQuery {
  @ApiProperty({ enum: Region })
  @IsEnum(Region)
  region!: Region;

  @ApiProperty({ required: false, enum: ['day', 'week'] })
  @IsOptional()
  @IsEnum({ day: 'day', week: 'week' })
  period?: string;
}
class Report {
  @ApiProperty({ enum: Region })
  region!: Region;
  @ApiProperty()
  revenue!: number;
}

/** The same controller, with or without @Precomputed(). */
function reportController(precomputed: boolean): Type {
  @Controller('report')
  class ReportController {
    @Get()
    @ApiOkResponse({ type: Report })
    @applyDecorators(...(precomputed ? [Precomputed()] : []))
    get(@Query() query: ReportQuery): Report {
      return { region: query.region, revenue: 1 };
    }
  }
  return ReportController;
}

describe('@nestjs/swagger', () => {
  it('documents @Precomputed routes exactly as without it', async () => {
    const documents = [];
    for (const precomputed of [false, true]) {
      const app = await createTestApp({ precompute: dir.file(`swagger-${precomputed}.json`), controllers: [reportController(precomputed)] });
      documents.push(SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build()));
      await app.close();
    }
    expect(documents[1]).toEqual(documents[0]);
    const parameters = (documents[1].paths['/report'].get?.parameters ?? []) as Array<{ name: string; schema?: { enum?: string[] } }>;
    expect(parameters.map((parameter) => parameter.name).sort()).toEqual(['period', 'region']);
    expect(parameters.find((parameter) => parameter.name === 'region')?.schema?.enum).toEqual(['EMEA', 'APAC']);
    expect(documents[1].components?.schemas).toHaveProperty('Report');
  });
});

describe('@nestjs/config', () => {
  it('forRootAsync with ConfigService', async () => {
    const logger = new MemoryLogger();
    @Module({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ precompute: { cacheFile: dir.file('config.json'), concurrency: 3 } })] }),
        PrecomputeModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow('precompute'),
        }),
      ],
      controllers: [reportController(true)],
    })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger });
    await app.init();
    expect(await app.get(PrecomputeService).whenReady()).toMatchObject({ computed: 6 });
    expect(logger.precompute().join('\n')).toContain('ReportController.get: 6 combinations, 0 cached, 6 to compute (concurrency 3)');
    await app.close();
  });
});

describe('logging', () => {
  it("the app's own logger receives everything, also when buffered", async () => {
    const logger = new MemoryLogger();
    @Module({ imports: [PrecomputeModule.forRoot(dir.file('buffered.json'))], controllers: [reportController(true)] })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ bufferLogs: true });
    app.useLogger(logger);
    await app.init();
    expect(logger.precompute().join('\n')).toContain('ReportController.get: computed 6, failed 0');
    await app.close();
  });

  it('logLevel filters what the module logs', async () => {
    const logger = new MemoryLogger();
    const app = await createTestApp({
      precompute: { cacheFile: dir.file('quiet.json'), logLevel: 'warn' },
      controllers: [reportController(true)],
      logger,
      // Validated, so the missing-validation warning (a real warning) has no reason to appear
      configure: (nest) => nest.useGlobalPipes(new ValidationPipe({ transform: true })),
    });
    expect(await app.get(PrecomputeService).whenReady()).toMatchObject({ computed: 6 });
    expect(logger.precompute()).toEqual([]);
    await app.close();
  });
});
