import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Precomputed, PrecomputeModule, PrecomputeService } from '../lib';
import { tempDir } from './helpers/temp-dir';

const dir = tempDir();
afterAll(() => dir.cleanup());

@Controller('feature')
class FeatureController {
  @Get()
  @Precomputed({ params: { x: ['1', '2'] } })
  get(@Query('x') x: string) {
    return { x };
  }
}
/** A feature module that does not import PrecomputeModule itself. */
@Module({ controllers: [FeatureController] })
class FeatureModule {}

@Injectable()
class Settings {
  readonly cacheFile = dir.file('async.json');
}
@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

describe('module configuration', () => {
  it('forRootAsync with an injected factory; @Precomputed works in a feature module', async () => {
    @Module({
      imports: [
        PrecomputeModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings) => ({ cacheFile: settings.cacheFile, concurrency: 2 }),
        }),
        FeatureModule,
      ],
    })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    expect(await app.get(PrecomputeService).whenReady()).toMatchObject({ computed: 2 });
    await request(app.getHttpServer()).get('/feature?x=2').expect(200, { x: '2' });
    await app.close();
  });

  it("forRoot('file') and isGlobal are accepted; isGlobal never reaches the options", async () => {
    @Module({ imports: [PrecomputeModule.forRoot({ cacheFile: dir.file('global.json'), isGlobal: true }), FeatureModule] })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    expect(app.get(PrecomputeService).get(FeatureController, 'get', { x: 1 })).toEqual({ x: '1' });
    await app.close();
  });
});
