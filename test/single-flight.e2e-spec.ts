import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

const calls = new CallLog();
/** Per combination, a gate its handler call waits for. */
const gates = new Map<string, { promise: Promise<void>; release: () => void }>();
function gateOf(n: string) {
  let gate = gates.get(n);
  if (!gate) {
    let release!: () => void;
    gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
    gates.set(n, gate);
  }
  return gate;
}

@Controller('flight')
class FlightController {
  @Get()
  @Precomputed({ params: { n: ['1', '2', '3'] }, concurrency: 1 })
  async get(@Query('n') n: string) {
    calls.record(n);
    await gateOf(n).promise;
    return { n };
  }
}

async function until(condition: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(ADAPTERS)('one computation per key, whoever asks (%s)', (adapter: AdapterName) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  beforeEach(async () => {
    dir = tempDir();
    calls.reset();
    gates.clear();
    app = await createTestApp({ adapter, precompute: { cacheFile: dir.file('cache.json'), startup: 'background' }, controllers: [FlightController] });
  });
  afterEach(async () => {
    for (const gate of gates.values()) gate.release();
    await app?.close();
    app = undefined;
    dir.cleanup();
  });
  const get = (n: string) => request((app as INestApplication).getHttpServer()).get(`/flight?n=${n}`);

  it('a live request for a combination the startup run is computing waits for it instead of calling the handler again', async () => {
    await until(() => calls.count('1') === 1, () => `the startup run to start n=1 (calls: ${calls.all().join(', ')})`);
    const live = get('1').then((res) => res);
    // No event says the request has reached the interceptor: give it a moment before the computation ends
    await new Promise((resolve) => setTimeout(resolve, 200));
    gateOf('1').release();
    expect((await live).body).toEqual({ n: '1' });
    expect(calls.count('1')).toBe(1);
  });

  it('the startup run joins a live request computing its combination instead of calling the handler again', async () => {
    // The run is held on n=1; a live request starts n=3 meanwhile
    await until(() => calls.count('1') === 1, () => `the startup run to start n=1 (calls: ${calls.all().join(', ')})`);
    const live = get('3').then((res) => res);
    await until(() => calls.count('3') === 1, () => `the live call of n=3 (calls: ${calls.all().join(', ')})`);
    gateOf('1').release();
    gateOf('2').release();
    const service = (app as INestApplication).get(PrecomputeService);
    await until(() => service.get(FlightController, 'get', { n: '2' }) !== undefined, () => 'the startup run to store n=2');
    // No event says the run has reached n=3 and joined the live call: give it a moment, then let the call finish
    await new Promise((resolve) => setTimeout(resolve, 200));
    gateOf('3').release();
    const summary = await service.whenReady();
    expect((await live).body).toEqual({ n: '3' });
    expect(calls.count('3')).toBe(1);
    expect(summary.failed).toBe(0);
  });
});
