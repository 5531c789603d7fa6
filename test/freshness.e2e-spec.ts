import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, type INestApplication, type Type } from '@nestjs/common';
import { IsEnum } from 'class-validator';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { Precomputed, PrecomputeService, type PrecomputeModuleOptions } from '../lib';
import { CallLog } from './helpers/call-log';
import { ADAPTERS, createTestApp, MemoryLogger, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';
import { waitUntil } from './helpers/waits';

enum Region {
  EMEA = 'EMEA',
  APAC = 'APAC',
}
enum Store {
  S1 = '1',
  S2 = '2',
  S3 = '3',
}
class ReportQuery {
  @IsEnum(Region)
  region!: Region;
  @IsEnum(Store)
  store!: Store;
}

const calls = new CallLog();
/** What the data source currently says; tests change it to see refreshes. */
let generation = 1;
let failing = false;
let gate: { promise: Promise<void>; release: () => void };
function closeGate() {
  let release!: () => void;
  gate = { promise: new Promise<void>((resolve) => (release = resolve)), release };
}

async function compute(name: string, query: ReportQuery) {
  return calls.track(name, async () => {
    await gate.promise;
    if (failing) throw new Error('the warehouse is down');
    return { region: query.region, store: query.store, generation };
  });
}

@Controller('report')
class ReportController {
  @Get()
  @Precomputed({ ttlSeconds: 3600, cacheControl: true })
  get(@Query() query: ReportQuery) {
    return compute('v1', query);
  }
}
@Controller('report')
class ReportV2Controller {
  @Get()
  @Precomputed({ version: '2', cacheControl: 'public, max-age=60' })
  get(@Query() query: ReportQuery) {
    return compute('v2', query);
  }
}

/** The same route with no TTL and no version: the file's entries are current for it, and only a schedule refreshes them. */
@Controller('report')
class ReportOnScheduleController {
  @Get()
  @Precomputed()
  get(@Query() query: ReportQuery) {
    return compute('scheduled', query);
  }
}

const EMEA_1 = 'GET /report?region=EMEA&store=1';
const APAC_2 = 'GET /report?region=APAC&store=2';

/** Every adapter, served before Nest's router (the default here: nothing else applies) and by the interceptor. */
const VARIANTS = ADAPTERS.flatMap((adapter) => [
  [adapter, 'auto'],
  [adapter, false],
] as const);

describe.each(VARIANTS)('keeping data fresh (%s, earlyHits: %s)', (adapter: AdapterName, earlyHits: 'auto' | false) => {
  let dir: ReturnType<typeof tempDir>;
  let app: INestApplication | undefined;
  const file = () => dir.file('cache.json');
  const start = async (controller: Type = ReportController, options: Partial<PrecomputeModuleOptions> = {}) => {
    const logger = new MemoryLogger();
    app = await createTestApp({ adapter, precompute: { cacheFile: file(), earlyHits, ...options }, controllers: [controller], logger });
    return { app, logger, service: app.get(PrecomputeService) };
  };
  const stop = async () => {
    await app?.close();
    app = undefined;
  };
  /** Makes every entry look computed long ago (the value, and so its hash, unchanged: not an edit). */
  const age = () => {
    const document = JSON.parse(readFileSync(file(), 'utf8'));
    for (const entry of Object.values<{ computedAt: string }>(document.entries)) entry.computedAt = '2000-01-01T00:00:00.000Z';
    writeFileSync(file(), JSON.stringify(document, null, 2));
  };
  /** Makes these entries look computed at `at` (not an edit). */
  const computedAt = (at: string, ...keys: string[]) => {
    const document = JSON.parse(readFileSync(file(), 'utf8'));
    for (const key of keys) document.entries[key].computedAt = at;
    writeFileSync(file(), JSON.stringify(document, null, 2));
  };
  const edit = (key: string, value: unknown) => {
    const document = JSON.parse(readFileSync(file(), 'utf8'));
    document.entries[key].value = value;
    writeFileSync(file(), JSON.stringify(document, null, 2));
  };
  const get = (path: string) => request((app as INestApplication).getHttpServer()).get(path);

  beforeEach(async () => {
    dir = tempDir();
    calls.reset();
    generation = 1;
    failing = false;
    closeGate();
    gate.release();
    await start();
    await stop();
    calls.reset();
  });
  afterEach(async () => {
    gate.release();
    await stop();
    dir.cleanup();
  });

  it('an expired entry is served stale while exactly one recompute runs, then the new value is served', async () => {
    age();
    generation = 2;
    closeGate();
    const { logger } = await start();
    // The variant is the path it says
    await logger.waitFor(earlyHits === 'auto' ? 'hits are answered early' : 'hits are answered by the interceptor');
    // Startup did not wait for the refresh
    const stale = await Promise.all(Array.from({ length: 10 }, () => get('/report?store=1&region=EMEA').expect(200)));
    for (const res of stale) expect(res.body.generation).toBe(1);
    gate.release();
    await logger.waitFor('Refreshed 6 combinations (stale)');
    expect(calls.count()).toBe(6);
    const fresh = await get('/report?store=1&region=EMEA').expect(200);
    expect(fresh.body.generation).toBe(2);
    expect(fresh.headers['cache-control']).toMatch(/^public, max-age=(3599|3600), stale-while-revalidate=3600$/);
  });

  it('a refresh that fails keeps serving the old value and backs off', async () => {
    age();
    failing = true;
    const { logger } = await start();
    await logger.waitFor('still serving the previous value');
    expect((await get('/report?store=2&region=APAC').expect(200)).body.generation).toBe(1);
    expect(logger.lines.join('\n')).toContain('Error: the warehouse is down');
    // The old entries are still in the file
    await stop();
    expect(JSON.parse(readFileSync(file(), 'utf8')).entries[EMEA_1].value.generation).toBe(1);
  });

  it('the file shows the values served, at most one refresh of every entry behind, while the app runs', async () => {
    const { service } = await start();
    const inFile = () => Object.values<{ value: { generation: number } }>(JSON.parse(readFileSync(file(), 'utf8')).entries).map((entry) => entry.value.generation);
    for (generation = 2; generation <= 4; generation++) await service.refresh();
    // 18 results for 6 entries: the journal outgrew the file twice, so the file holds no value older than generation 3
    expect(Math.min(...inFile())).toBeGreaterThanOrEqual(3);
    const journal = `${file()}.journal`;
    expect(existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').length : 0).toBeLessThanOrEqual(6);
  });

  it('refresh() by parameter values recomputes only the matching combinations', async () => {
    generation = 3;
    const { service } = await start();
    const summary = await service.refresh({ controller: ReportController, params: { region: 'EMEA' } });
    expect(summary).toMatchObject({ computed: 3, failed: 0 });
    expect(calls.all()).toEqual(['v1', 'v1', 'v1']);
    expect((await get('/report?region=EMEA&store=3').expect(200)).body.generation).toBe(3);
    expect((await get('/report?region=APAC&store=3').expect(200)).body.generation).toBe(1);
    // Everything, when no target is given; concurrent refreshes share the work
    calls.reset();
    const [a, b] = await Promise.all([service.refresh(), service.refresh({ controller: ReportController })]);
    expect(a.computed + b.computed).toBeGreaterThanOrEqual(6);
    expect(calls.count()).toBe(6);
    await expect(service.refresh({ controller: ReportController, params: { colour: 'red' } })).rejects.toThrow(
      'No precomputed handler of the target has the parameter "colour"; its handlers and their parameters: ReportController.get (region, store)',
    );
    await expect(service.refresh({ controller: ReportController, method: 'get', params: { colour: 'red' } })).rejects.toThrow(
      'ReportController.get has no parameter "colour" (it has: region, store)',
    );
    // keyOf() and get() check names and values as refresh() does, rather than making a key no request has
    expect(() => service.keyOf(ReportController, 'get', { colour: 'red' })).toThrow('ReportController.get has no parameter "colour"');
    expect(() => service.get(ReportController, 'get', { region: 'MARS', store: 3 })).toThrow(
      'ReportController.get: MARS is not a precomputed value of "region"',
    );
    expect(service.keyOf(ReportController, 'get', { region: 'EMEA', store: 3 })).toBe('GET /report?region=EMEA&store=3');
  });

  it('a refresh of half the entries or more leaves the file showing the new values; a smaller one goes to the journal', async () => {
    const { service } = await start();
    const journal = `${file()}.journal`;
    const inFile = () => Object.values<{ value: { generation: number } }>(JSON.parse(readFileSync(file(), 'utf8')).entries).map((entry) => entry.value.generation);
    generation = 2;
    await service.refresh({ params: { region: 'EMEA' } });
    expect(inFile()).toHaveLength(6);
    expect(inFile().filter((value) => value === 2)).toHaveLength(3);
    expect(existsSync(journal)).toBe(false);
    generation = 3;
    await service.refresh({ params: { region: 'APAC', store: '1' } });
    // One of six: the file keeps the older value, the journal holds the new one
    expect(inFile().filter((value) => value === 3)).toHaveLength(0);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a refreshCron run missed while the app was down (or cut short) is made up at start, for the entries computed before it only', async () => {
    // The yearly run due 1 January: two entries are older than it, the other four newer (computed by beforeEach)
    computedAt('2025-06-01T00:00:00.000Z', EMEA_1, APAC_2);
    generation = 2;
    const { logger } = await start(ReportOnScheduleController, { refreshCron: '0 0 1 1 *', refreshTimeZone: 'UTC' });
    const due = `${new Date().getUTCFullYear()}-01-01T00:00:00.000Z`;
    await logger.waitFor(`entries are older than the scheduled refresh (refreshCron) due at ${due}, which was missed while the app was down or cut short`);
    await logger.waitFor(`Refreshed 6 combinations (refreshCron 0 0 1 1 *, due ${due}): computed 2, failed 0`);
    expect(calls.count('scheduled')).toBe(2);
    expect((await get('/report?store=1&region=EMEA').expect(200)).body.generation).toBe(2);
    expect((await get('/report?store=2&region=APAC').expect(200)).body.generation).toBe(2);
    expect((await get('/report?store=1&region=APAC').expect(200)).body.generation).toBe(1);
  });

  it('no run is made up when every entry is newer than the schedule\'s last time, or the only older one is a hand edit', async () => {
    computedAt('2025-06-01T00:00:00.000Z', EMEA_1);
    edit(EMEA_1, { edited: true });
    generation = 2;
    const { logger } = await start(ReportOnScheduleController, { refreshCron: '0 0 1 1 *', refreshTimeZone: 'UTC' });
    await app?.get(PrecomputeService).whenReady();
    // Served after the check at start, which takes no turn of the event loop for six entries
    expect((await get('/report?store=1&region=EMEA').expect(200)).body).toEqual({ edited: true });
    expect((await get('/report?store=2&region=APAC').expect(200)).body.generation).toBe(1);
    expect(calls.count()).toBe(0);
    expect(logger.lines.join('\n')).not.toContain('entries are older than the scheduled refresh');
  });

  it('a refresh on demand the shutdown cuts short says how many it left, and that they keep their values', async () => {
    closeGate();
    const { service, logger } = await start(ReportController, { concurrency: 1 });
    const refreshing = service.refresh();
    await waitUntil(() => (calls.count() === 1 ? true : undefined), 'the first refresh to start');
    const closing = stop();
    gate.release();
    await closing;
    await refreshing;
    expect(calls.count()).toBe(1);
    expect(logger.lines.some((line) => line.includes('Refreshed 6 combinations (on demand): computed 1, failed 0') && line.includes('; 5 not refreshed: they keep their values until refresh() is called again (the app shut down)'))).toBe(true);
  });

  it('invalidate() drops entries: the next request runs live and stores its result', async () => {
    generation = 4;
    const { service } = await start();
    expect(await service.invalidate({ controller: ReportController, method: 'get', params: { region: 'APAC', store: 2 } })).toBe(1);
    expect(service.get(ReportController, 'get', { region: 'APAC', store: '2' })).toBeUndefined();
    expect((await get('/report?region=APAC&store=2').expect(200)).body.generation).toBe(4);
    expect(calls.count()).toBe(1);
    expect(service.get(ReportController, 'get', { region: 'APAC', store: '2' })).toMatchObject({ generation: 4 });
    await get('/report?region=APAC&store=2').expect(200);
    expect(calls.count()).toBe(1);
  });

  it('a version bump recomputes in the background; a hand edit survives it and scheduled refreshes; force replaces it', async () => {
    edit(EMEA_1, { region: 'EMEA', store: '1', generation: 'edited by hand' });
    generation = 5;
    closeGate();
    const { logger, service } = await start(ReportV2Controller);
    // Startup was not blocked: old values are served meanwhile
    expect((await get('/report?region=APAC&store=1').expect(200)).body.generation).toBe(1);
    gate.release();
    await logger.waitFor('Refreshed 5 combinations (new version)');
    expect(logger.lines.join('\n')).toContain(`Kept the hand-edited entry ${EMEA_1}`);
    expect((await get('/report?region=APAC&store=1').expect(200)).body.generation).toBe(5);
    const edited = await get('/report?region=EMEA&store=1').expect(200);
    expect(edited.body.generation).toBe('edited by hand');
    expect(edited.headers['cache-control']).toBe('public, max-age=60');
    // An explicit refresh keeps it too, unless forced
    expect(await service.refresh({ params: { region: 'EMEA', store: '1' } })).toMatchObject({ computed: 0, skipped: 1 });
    expect(await service.refresh({ params: { region: 'EMEA', store: '1' } }, { force: true })).toMatchObject({ computed: 1 });
    expect((await get('/report?region=EMEA&store=1').expect(200)).body.generation).toBe(5);
    await stop();
    const entry = JSON.parse(readFileSync(file(), 'utf8')).entries[EMEA_1];
    expect(entry).toMatchObject({ version: '2', value: { generation: 5 } });
  });

  it("versionChangeAtStartup: 'blocking' recomputes outdated entries before listening", async () => {
    await start(ReportV2Controller, { versionChangeAtStartup: 'blocking' });
    expect(calls.count()).toBe(6);
  });

  it('TTLs hold across restarts: the stored computedAt counts, and entries within their TTL are not recomputed', async () => {
    // Computed half a TTL ago (an earlier run): not stale, 1800 s left
    const document = JSON.parse(readFileSync(file(), 'utf8'));
    const halfAnHourAgo = new Date(Date.now() - 1800_000).toISOString();
    for (const entry of Object.values<{ computedAt: string }>(document.entries)) entry.computedAt = halfAnHourAgo;
    writeFileSync(file(), JSON.stringify(document, null, 2));
    const { service } = await start();
    expect(await service.whenReady()).toMatchObject({ cached: 6, computed: 0 });
    const res = await get('/report?region=EMEA&store=2').expect(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=(1799|1800), stale-while-revalidate=3600$/);
    expect(res.headers['last-modified']).toBe(new Date(halfAnHourAgo).toUTCString());
    expect(calls.count()).toBe(0);
  });
});
