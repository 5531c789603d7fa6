/**
 * `npm run bench`: serving, precompute and warm-start benchmarks, each figure
 * the median of alternating rounds (A B A B ...) in this one invocation.
 * Servers run in child processes; autocannon loads them from this process.
 *
 * Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5 per round), BENCH_OUT (the
 * repository root), BENCH_SMOKE=1 (tiny sizes and durations, for the test suite).
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { barChart, formatStat, stat, type Stat } from './stats';
import { redisLocalCacheSection } from './redis-local-cache';
import { runScaleBenchmarks } from './scale';
import { LARGE_BODY, SMALL_BODY } from './bodies';

const SMOKE = process.env.BENCH_SMOKE === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 0.3 : 5));
const OUT = resolve(process.env.BENCH_OUT ?? '.');
const BUILD = resolve(__dirname);
const work = mkdtempSync(join(tmpdir(), 'precompute-bench-'));

interface Child {
  readonly line: Promise<string>;
  kill(): Promise<void>;
}

/**
 * Serving is measured with the load generator (this process) on the first core and each server on
 * the last (`taskset`), as the serving issue measured it, so the two never take turns on one core:
 * rounds move far less. BENCH_PIN=0 turns it off; a machine with one core or without taskset runs unpinned.
 */
const PIN = !SMOKE && process.env.BENCH_PIN !== '0' && cpus().length >= 2 && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const SERVER_CPU = String(cpus().length - 1);

/** Pins every thread of this process to the first core (`true`) or frees it again (`false`). */
function pinLoadGenerator(pinned: boolean): void {
  if (PIN) spawnSync('taskset', ['-a', '-p', '-c', pinned ? '0' : `0-${SERVER_CPU}`, String(process.pid)], { stdio: 'ignore' });
}

/** Runs a compiled bench script; `line` resolves with its first stdout line starting with `prefix`. */
function run(script: string, env: Record<string, string>, prefix: string, args: string[] = [], command = process.execPath, pinned = false): Child {
  const argv = [command === process.execPath ? join(BUILD, script) : script, ...args];
  const child = spawn(pinned && PIN ? 'taskset' : command, pinned && PIN ? ['-c', SERVER_CPU, command, ...argv] : argv, {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const line = new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const found = buffer.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (found) done(found.slice(prefix.length).trim());
    });
    void exited.then(() => fail(new Error(`${script} exited before printing ${prefix}`)));
  });
  return {
    line,
    kill: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function result<T>(script: string, env: Record<string, string>, args: string[] = []): Promise<T> {
  const child = run(script, env, 'RESULT ', args);
  const value = JSON.parse(await child.line) as T;
  await child.kill();
  return value;
}

// ---------------------------------------------------------------- serving

interface ServingConfig {
  readonly label: string;
  readonly env: Record<string, string>;
  /** A Python script to run instead of server.js (the FastAPI row). */
  readonly python?: string;
}
interface ServingResult {
  readonly label: string;
  readonly rps: Stat;
  readonly p50: Stat;
  readonly p99: Stat;
  /** Bytes per response on the wire, headers included. */
  readonly bytes: Stat;
}

const FASTAPI_SCRIPT = resolve(__dirname, '..', '..', 'bench', 'fastapi_server.py');
/** Debian's python3-fastapi lives in the system Python, which a pyenv shim on PATH may hide. */
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Whether Debian's python3-fastapi and uvicorn are installed (the seed's serving path). */
function fastapiAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn'], { stdio: 'ignore' });
  return probe.status === 0;
}

function scenarioConfigs(body: 'small' | 'large', adapters: readonly string[], scenarios: ReadonlyArray<readonly [string, string]>, extraEnv: Record<string, string> = {}): ServingConfig[] {
  return adapters.flatMap((adapter) =>
    scenarios.map(([scenario, name]) => ({
      label: `${adapter}: ${name}`,
      env: { ADAPTER: adapter, SCENARIO: scenario, BODY: body, CACHE_FILE: join(work, `serving-${adapter}-${body}-${scenario}.json`), ...extraEnv },
    })),
  );
}

async function serving(body: 'small' | 'large', adapters: readonly string[], withRaw: boolean): Promise<ServingResult[]> {
  const configs = scenarioConfigs(body, adapters, [
    ['bare', 'bare route'],
    ['precomputed-default', '@Precomputed, defaults (no option set)'],
    ['precomputed', '@Precomputed, earlyHits: false (interceptor)'],
    ['precomputed-early', '@Precomputed, earlyHits: true'],
    ['precomputed-early-unrecorded', '@Precomputed, earlyHits, no metrics calls'],
    ['precomputed-early-otel', '@Precomputed, earlyHits, OTel SDK registered'],
    ['cache-manager', 'CacheInterceptor (memory)'],
    ['validation', 'uncached + ValidationPipe'],
  ]);
  if (withRaw) configs.push({ label: 'raw node:http, prebuilt buffer', env: { SCENARIO: 'raw', BODY: body } });
  if (fastapiAvailable()) {
    const file = join(work, `body-${body}.json`);
    writeFileSync(file, JSON.stringify(body === 'large' ? LARGE_BODY : SMALL_BODY));
    configs.push({ label: "the seed's path: FastAPI + uvicorn, dict lookup", env: { BODY_FILE: file }, python: FASTAPI_SCRIPT });
  }
  return measureServing(configs, {});
}

/**
 * The compressed section: apps that run their own compression (as most production apps do), a client
 * sending `Accept-Encoding: gzip, br`, the ~160 KB body; the bare compressed route against a cached answer.
 */
async function compressedServing(adapters: readonly string[]): Promise<ServingResult[]> {
  const configs = scenarioConfigs(
    'large',
    adapters,
    [
      ['bare', 'bare route + app compression'],
      ['precomputed-default', '@Precomputed, defaults + app compression'],
    ],
    { APP_COMPRESSION: '1' },
  );
  return measureServing(configs, { 'accept-encoding': 'gzip, br' }, 20);
}

async function measureServing(configs: readonly ServingConfig[], headers: Record<string, string>, connections = 32): Promise<ServingResult[]> {
  const servers = configs.map((config) =>
    config.python ? run(config.python, config.env, 'LISTENING ', [], PYTHON, true) : run('server.js', config.env, 'LISTENING ', [], process.execPath, true),
  );
  const ports = await Promise.all(servers.map(async (server) => Number(await server.line)));
  const samples = configs.map(() => ({ rps: [] as number[], p50: [] as number[], p99: [] as number[], bytes: [] as number[] }));
  try {
    if (!SMOKE) for (let i = 0; i < configs.length; i++) await load(ports[i], Math.min(1, SECONDS), headers, connections); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate: every configuration once per round, starting one further each round
      for (let k = 0; k < configs.length; k++) {
        const i = (k + round) % configs.length;
        const measured = await load(ports[i], SECONDS, headers, connections);
        samples[i].rps.push(measured.rps);
        samples[i].p50.push(measured.p50);
        samples[i].p99.push(measured.p99);
        samples[i].bytes.push(measured.bytes);
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.kill()));
  }
  return configs.map((config, i) => ({
    label: config.label,
    rps: stat(samples[i].rps),
    p50: stat(samples[i].p50),
    p99: stat(samples[i].p99),
    bytes: stat(samples[i].bytes),
  }));
}

async function load(port: number, seconds: number, headers: Record<string, string> = {}, connections = 32): Promise<{ rps: number; p50: number; p99: number; bytes: number }> {
  const measured = await autocannon({
    url: `http://127.0.0.1:${port}/report?region=EMEA`,
    headers,
    connections: SMOKE ? 4 : connections,
    // A smoke run only proves the bench still works: a few requests each
    ...(SMOKE ? { amount: 200 } : { duration: seconds }),
  });
  if (measured.non2xx > 0 || measured.errors > 0) {
    throw new Error(`port ${port}: ${measured.non2xx} non-2xx responses, ${measured.errors} errors`);
  }
  const bytes = measured.requests.total > 0 ? measured.throughput.total / measured.requests.total : 0;
  return { rps: measured.requests.average, p50: measured.latency.p50, p99: measured.latency.p99, bytes };
}

// ---------------------------------------------------------------- precompute

interface AppResult {
  durationMs: number;
  listenMs: number;
  maxRssMb: number;
  writtenBytes: number;
  computed: number;
  cached: number;
}

async function precomputeSample(): Promise<Array<{ concurrency: number; duration: Stat }>> {
  const delay = SMOKE ? '20' : '2000';
  const levels = [1, 5, 15];
  const samples = new Map<number, number[]>(levels.map((level) => [level, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const level of levels) {
      // Concurrency 1 is 30 s of sleeping whatever the machine does: once is enough
      if (level === 1 && round > 0 && !SMOKE) continue;
      const file = join(work, `sample-${level}-${round}.json`);
      const measured = await result<AppResult>('precompute-app.js', {
        A_COUNT: '3',
        B_COUNT: '5',
        DELAY_MS: delay,
        CONCURRENCY: String(level),
        CACHE_FILE: file,
      });
      samples.get(level)?.push(measured.durationMs);
      rmSync(file, { force: true });
    }
  }
  return levels.map((level) => ({ concurrency: level, duration: stat(samples.get(level) ?? []) }));
}

interface BulkResult {
  readonly combinations: number;
  readonly durationMs: Stat;
  readonly listenMs: Stat;
  readonly writtenMb: Stat;
  readonly fileMb: number;
  readonly maxRssMb: Stat;
}

async function precomputeBulk(): Promise<{ rows: BulkResult[]; largestFile: string }> {
  const sizes = SMOKE ? [[10, 10], [100, 10]] : [[100, 100], [1000, 100]];
  const samples = sizes.map(() => [] as AppResult[]);
  let largestFile = '';
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < sizes.length; i++) {
      const file = join(work, `bulk-${i}.json`);
      rmSync(file, { force: true });
      samples[i].push(
        await result<AppResult>('precompute-app.js', { A_COUNT: String(sizes[i][0]), B_COUNT: String(sizes[i][1]), CONCURRENCY: '8', CACHE_FILE: file }),
      );
      largestFile = file;
    }
  }
  const { statSync } = await import('node:fs');
  return {
    largestFile,
    rows: sizes.map(([a, b], i) => ({
      combinations: a * b,
      durationMs: stat(samples[i].map((s) => s.durationMs)),
      listenMs: stat(samples[i].map((s) => s.listenMs)),
      writtenMb: stat(samples[i].map((s) => s.writtenBytes / 1e6)),
      fileMb: statSync(join(work, `bulk-${i}.json`)).size / 1e6,
      maxRssMb: stat(samples[i].map((s) => s.maxRssMb)),
    })),
  };
}

async function warmStart(file: string, combinations: number): Promise<{ app: Stat; appRss: Stat; boot: Stat; parse: Stat; parseRss: Stat }> {
  const [a, b] = SMOKE ? ['100', '10'] : ['1000', '100'];
  if (combinations !== Number(a) * Number(b)) throw new Error('warm start needs the largest bulk file');
  const app: number[] = [];
  const appRss: number[] = [];
  const boot: number[] = [];
  const parse: number[] = [];
  const parseRss: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const warm = await result<AppResult>('precompute-app.js', { A_COUNT: a, B_COUNT: b, CACHE_FILE: file });
    if (warm.computed !== 0) throw new Error('the warm start computed something');
    app.push(warm.listenMs);
    appRss.push(warm.maxRssMb);
    const parsed = await result<{ listenMs: number; maxRssMb: number }>('json-parse.js', {}, [file]);
    parse.push(parsed.listenMs);
    parseRss.push(parsed.maxRssMb);
    // The same app with a one-entry cache: what Nest's own boot costs
    const empty = join(work, `empty-${round}.json`);
    boot.push((await result<AppResult>('precompute-app.js', { A_COUNT: '1', B_COUNT: '1', CACHE_FILE: empty })).listenMs);
  }
  return { app: stat(app), appRss: stat(appRss), boot: stat(boot), parse: stat(parse), parseRss: stat(parseRss) };
}

async function replicaSplit(): Promise<{ one: Stat; three: Stat; available: boolean }> {
  const redis = spawn('redis-server', ['--port', '0', '--unixsocket', join(work, 'redis.sock'), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = await new Promise<boolean>((resolve) => {
    redis.on('error', () => resolve(true));
    setTimeout(() => resolve(false), 300);
  });
  if (failed) return { one: stat([0]), three: stat([0]), available: false };
  const url = `redis+unix://${join(work, 'redis.sock')}`;
  const env = (prefix: string) => ({ REDIS_URL: url, REDIS_PREFIX: prefix, A_COUNT: '12', B_COUNT: '5', DELAY_MS: SMOKE ? '5' : '100', CONCURRENCY: '2' });
  const one: number[] = [];
  const three: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      one.push((await result<AppResult>('precompute-app.js', env(`one-${round}`))).durationMs);
      const runs = await Promise.all([1, 2, 3].map(() => result<AppResult>('precompute-app.js', env(`three-${round}`))));
      // The fleet is done when its slowest replica is
      three.push(Math.max(...runs.map((run) => run.durationMs)));
    }
  } finally {
    redis.kill('SIGKILL');
  }
  return { one: stat(one), three: stat(three), available: true };
}

// ---------------------------------------------------------------- report

function ratio(a: Stat, b: Stat): string {
  return `${(a.median / b.median).toFixed(2)}×`;
}

function servingTable(title: string, rows: readonly ServingResult[]): string {
  const lines = [`### ${title}`, '', '| configuration | req/s | p50 ms | p99 ms | bytes/response | vs bare route |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const adapter = row.label.split(':')[0];
    const bare = rows.find((other) => other.label.startsWith(`${adapter}: bare route`)) ?? rows[0];
    lines.push(
      `| ${row.label} | ${formatStat(row.rps)} | ${formatStat(row.p50, 1)} | ${formatStat(row.p99, 1)} | ${Math.round(row.bytes.median).toLocaleString('en-US')} | ${ratio(row.rps, bare.rps)} |`,
    );
  }
  return lines.join('\n');
}

/** Throughput lost to the metrics hooks with no OTel SDK: early hits with them, against the same with the calls emptied. */
function metricsOverhead(rows: readonly ServingResult[]): string {
  return ['express', 'fastify']
    .map((adapter) => {
      const hooked = rows.find((row) => row.label === `${adapter}: @Precomputed, earlyHits: true`);
      const bare = rows.find((row) => row.label === `${adapter}: @Precomputed, earlyHits, no metrics calls`);
      return hooked && bare ? `${adapter} ${((1 - hooked.rps.median / bare.rps.median) * 100).toFixed(1)}%` : `${adapter} not measured`;
    })
    .join(', ');
}

type ServingRows = ServingResult[];

/** The three serving measurements, in the order the report shows them. */
async function servingRuns(adapters: string[]): Promise<{ small: ServingRows; large: ServingRows; compressed: ServingRows }> {
  console.log(`Serving, small body (${ROUNDS} rounds × ${SECONDS}s per configuration${PIN ? `; load on core 0, servers on core ${SERVER_CPU}` : ''})...`);
  pinLoadGenerator(true);
  try {
    const small = await serving('small', adapters, false);
    console.log('Serving, large body...');
    const large = await serving('large', adapters, true);
    console.log('Serving, large body, app compression, Accept-Encoding: gzip, br...');
    const compressed = await compressedServing(adapters);
    return { small, large, compressed };
  } finally {
    // The other sections' processes inherit this process's cores
    pinLoadGenerator(false);
  }
}

/** The three serving tables, each followed by a blank line. */
function servingTables(runs: { small: ServingRows; large: ServingRows; compressed: ServingRows }): string[] {
  return [
    servingTable('Small body (~250 B)', runs.small),
    '',
    servingTable('Large body (~160 KB JSON report)', runs.large),
    '',
    servingTable('Large body, app compression (`compression()` / `@fastify/compress`), client sends `Accept-Encoding: gzip, br` (20 connections)', runs.compressed),
    '',
  ];
}

/** `BENCH_ONLY=serving`: the serving sections alone, printed and written to bench/results/serving.md. */
async function servingOnly(): Promise<void> {
  const report = servingTables(await servingRuns(['express', 'fastify'])).join('\n');
  mkdirSync(join(OUT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(OUT, 'bench', 'results', 'serving.md'), report);
  console.log(report);
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'serving') return servingOnly();
  const started = Date.now();
  const runs = await servingRuns(['express', 'fastify']);
  const { small, large } = runs;
  console.log('Precompute: the sample (15 combinations × 2 s)...');
  const sample = await precomputeSample();
  console.log('Precompute: instant combinations of ~1 KB...');
  const bulk = await precomputeBulk();
  console.log('Warm start...');
  const warm = await warmStart(bulk.largestFile, bulk.rows[bulk.rows.length - 1].combinations);
  console.log('Replicas on Redis...');
  const replicas = await replicaSplit();
  console.log('Redis with a bounded local memory...');
  const localCache = await redisLocalCacheSection({ smoke: SMOKE, rounds: ROUNDS });
  console.log('Scale: large files and a million entries...');
  const scale = await runScaleBenchmarks(work, OUT, SMOKE, (line) => console.log(line));

  mkdirSync(join(OUT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(OUT, 'bench', 'results', 'serving.svg'),
    barChart('Throughput (req/s, median)', 'req/s', [
      ...small.map((row) => ({ label: `small · ${row.label}`, value: row.rps.median, group: row.label.split(': ')[1] ?? row.label })),
      ...large.map((row) => ({ label: `large · ${row.label}`, value: row.rps.median, group: row.label.split(': ')[1] ?? row.label })),
    ]),
  );
  writeFileSync(
    join(OUT, 'bench', 'results', 'precompute.svg'),
    barChart(`Precompute wall time: 15 combinations × ${SMOKE ? '20 ms' : '2 s'}`, 's', sample.map((row) => ({ label: `concurrency ${row.concurrency}`, value: row.duration.median / 1000 }))),
  );

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report = [
    '# Benchmarks',
    '',
    `Machine: ${cpus().length} cores (${cpu}), Node ${process.version}, ${process.platform}. ` +
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` (${ROUNDS} alternating rounds, ${SECONDS} s of load per configuration per round; ` +
      `autocannon with ${SMOKE ? 4 : 32} connections in the parent process, each server in its own process, all on 127.0.0.1` +
      `${PIN ? `; while serving is measured, the load generator runs on core 0 and the servers on core ${SERVER_CPU}` : ''}). ` +
      'Each figure is the median, with min–max in parentheses; ratios compare medians from the same run.' +
      (SMOKE ? ' **Smoke run: tiny sizes and durations, figures are meaningless.**' : ''),
    '',
    '![throughput](bench/results/serving.svg)',
    '',
    '## Serving',
    '',
    'Every configuration serves `GET /report?region=EMEA` with the same body: (a) a bare route returning a constant object, ' +
      '(b) the same route with `@Precomputed()` answering from the cache: with no option set (the default, `earlyHits: \'auto\'`), ' +
      'with `earlyHits: false` (through Nest\'s pipeline and the interceptor), with `earlyHits: true`; ' +
      '(c) `@nestjs/cache-manager`\'s `CacheInterceptor` ' +
      '(in-memory), (d) the uncached handler behind a global `ValidationPipe` with a DTO, (e) raw `node:http` writing a prebuilt buffer.',
    '',
    ...servingTables(runs),
    `Throughput the metrics hooks cost with no OpenTelemetry SDK registered (early hits; negative: within noise): ` +
      `small body ${metricsOverhead(small)}; large body ${metricsOverhead(large)}. The "OTel SDK registered" rows show what an app exporting metrics pays.`,
    '',
    '## Precompute',
    '',
    '### The sample: 15 combinations, each a 2-second query',
    '',
    '| concurrency | wall time of the run | vs concurrency 1 |',
    '|---|---|---|',
    ...sample.map((row) => `| ${row.concurrency} | ${formatStat({ median: row.duration.median / 1000, min: row.duration.min / 1000, max: row.duration.max / 1000 }, 2, ' s')} | ${ratio(sample[0].duration, row.duration)} faster |`),
    '',
    'fastapi-cached computes one combination at a time: 30 s for this run.',
    '',
    '![precompute](bench/results/precompute.svg)',
    '',
    '### Engine and persistence overhead: instant handler, ~1 KB per result, concurrency 8',
    '',
    '| combinations | precompute run | process start → listen() | bytes written (all syscalls) | final file | peak RSS |',
    '|---|---|---|---|---|---|',
    ...bulk.rows.map(
      (row) =>
        `| ${row.combinations.toLocaleString('en-US')} | ${formatStat(row.durationMs, 0, ' ms')} | ${formatStat(row.listenMs, 0, ' ms')} | ` +
        `${formatStat(row.writtenMb, 1, ' MB')} | ${row.fileMb.toFixed(1)} MB | ${formatStat(row.maxRssMb, 0, ' MB')} |`,
    ),
    '',
    `Scaling from ${bulk.rows[0].combinations.toLocaleString('en-US')} to ${bulk.rows[1].combinations.toLocaleString('en-US')} combinations: ` +
      `${ratio(bulk.rows[1].durationMs, bulk.rows[0].durationMs)} the run time, ${ratio(bulk.rows[1].writtenMb, bulk.rows[0].writtenMb)} the bytes written. ` +
      'Bytes written are about twice the file: each result once in the journal, once in the compacted file.',
    '',
    '## Warm start',
    '',
    `Process start to \`listen()\` with all ${bulk.rows[1].combinations.toLocaleString('en-US')} combinations cached (a ${bulk.rows[1].fileMb.toFixed(0)} MB file), ` +
      'against a process that only reads and `JSON.parse`s the same file, and the same app with a one-entry cache (Nest\'s own boot):',
    '',
    '| process | start → ready | peak RSS |',
    '|---|---|---|',
    `| app, all cached | ${formatStat(warm.app, 0, ' ms')} | ${formatStat(warm.appRss, 0, ' MB')} |`,
    `| \`JSON.parse\` of the file | ${formatStat(warm.parse, 0, ' ms')} | ${formatStat(warm.parseRss, 0, ' MB')} |`,
    `| app, one-entry cache | ${formatStat(warm.boot, 0, ' ms')} | |`,
    '',
    `Ratio to a plain \`JSON.parse\`: ${ratio(warm.app, warm.parse)} for the whole start; ` +
      `${((warm.app.median - warm.boot.median) / warm.parse.median).toFixed(2)}× for loading the cache alone (app minus Nest's boot).`,
    '',
    '## Several replicas on Redis',
    '',
    replicas.available
      ? `60 combinations of ${SMOKE ? '5' : '100'} ms at concurrency 2, on a local redis-server: one replica's precompute run takes ` +
        `${formatStat(replicas.one, 0, ' ms')}; three replicas starting together finish in ${formatStat(replicas.three, 0, ' ms')} ` +
        `(the slowest of the three): a speed-up of ${ratio(replicas.one, replicas.three)}. The ideal is 3×; the replicas start a few hundred ms apart on 2 cores.`
      : 'redis-server is not installed: skipped (`apt-get install redis-server`).',
    '',
    localCache,
    scale,
    '',
    `Total bench time: ${Math.round((Date.now() - started) / 1000)} s.`,
    '',
  ].join('\n');
  writeFileSync(join(OUT, 'BENCHMARKS.md'), report);
  console.log(report);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
