import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { Precomputed, PrecomputeService, type PrecomputeModuleOptions } from '../lib';
import * as terminusApi from '../lib/terminus';
import { PrecomputeHealthIndicator } from '../lib/terminus';
import { within } from './helpers/otel-memory';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

let failing = new Set<string>();
let gate: { promise: Promise<void>; release: () => void };
function closeGate() {
  let release!: () => void;
  gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
}

@Controller('grid')
class GridController {
  @Get()
  @Precomputed({ params: { cell: ['a', 'b', 'c', 'd'] } })
  async get(@Query('cell') cell: string) {
    await gate.promise;
    if (failing.has(cell)) throw new Error(`cell ${cell} is broken`);
    return { cell };
  }
}

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly precompute: PrecomputeHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.precompute.isHealthy('precompute')]);
  }

  @Get('tolerant')
  @HealthCheck()
  tolerant() {
    return this.health.check([() => this.precompute.isHealthy('precompute', { onFailures: 'degraded' })]);
  }
}

describe('the terminus subpath', () => {
  it('exports the indicator and nothing else', () => {
    expect(Object.keys(terminusApi)).toEqual(['PrecomputeHealthIndicator']);
  });
});

describe.each(ADAPTERS)('PrecomputeHealthIndicator in a terminus app (%s)', (adapter: AdapterName) => {
  let app: INestApplication | undefined;
  const dir = tempDir();
  afterEach(async () => {
    gate.release();
    await app?.close();
    app = undefined;
  });
  const start = async (name: string, options: Partial<PrecomputeModuleOptions>) => {
    app = await createTestApp({
      adapter,
      precompute: { cacheFile: dir.file(`${name}-${adapter}.json`), progress: false, ...options },
      imports: [TerminusModule],
      controllers: [GridController, HealthController],
      providers: [PrecomputeHealthIndicator],
    });
    return app.getHttpServer();
  };

  it('is down while the background startup run is missing combinations, then up', async () => {
    failing = new Set();
    closeGate();
    const server = await start('background', { startup: 'background', concurrency: 1 });
    const down = await request(server).get('/health').expect(503);
    expect(down.body.error.precompute).toMatchObject({ status: 'down', startup: 'running', total: 4, cached: 0, missing: 4, failing: 0, message: 'Precomputing: 0 of 4 combinations cached' });
    gate.release();
    await within((app as INestApplication).get(PrecomputeService).whenReady(), 10_000, 'the background startup run');
    const up = await request(server).get('/health').expect(200);
    expect(up.body.info.precompute).toEqual({ status: 'up', startup: 'ready', total: 4, cached: 4, missing: 0, failing: 0 });
  });

  it('is down when combinations fail, or degraded when told so; up again once they succeed', async () => {
    failing = new Set(['b', 'd']);
    closeGate();
    gate.release();
    const server = await start('failures', { startup: 'blocking' });
    const down = await request(server).get('/health').expect(503);
    expect(down.body.error.precompute).toMatchObject({
      status: 'down',
      startup: 'ready',
      missing: 2,
      failing: 2,
      message: '2 combinations failed to compute (answered live until a refresh succeeds)',
    });
    expect(down.body.error.precompute.failures.map((f: { key: string; error: string }) => `${f.key}: ${f.error}`).sort()).toEqual([
      'GET /grid?cell=b: Error: cell b is broken',
      'GET /grid?cell=d: Error: cell d is broken',
    ]);
    const degraded = await request(server).get('/health/tolerant').expect(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.details.precompute).toMatchObject({ status: 'degraded', failing: 2 });
    // A live answer that succeeds (and is stored) ends that combination's failure
    failing = new Set(['d']);
    await request(server).get('/grid?cell=b').expect(200, { cell: 'b' });
    const stillDown = await request(server).get('/health').expect(503);
    expect(stillDown.body.error.precompute).toMatchObject({ failing: 1, missing: 1, failures: [{ key: 'GET /grid?cell=d' }] });
    failing = new Set();
    await (app as INestApplication).get(PrecomputeService).refresh({ controller: GridController });
    const up = await request(server).get('/health').expect(200);
    expect(up.body.info.precompute).toMatchObject({ status: 'up', failing: 0, missing: 0 });
  });
});
