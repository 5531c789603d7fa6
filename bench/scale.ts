/**
 * The scale benchmarks of `npm run bench` (issue 14): large caches and a
 * million entries, each scenario built, then restarted with startup 'off' and
 * served, against baselines that only read the same file. One round each by
 * default (SCALE_ROUNDS): a round of the largest scenario takes minutes.
 * About 200 lines: the runner, the report table and the charts of one benchmark.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { barChart, formatStat, stat, type Stat } from './stats';

const BUILD = resolve(__dirname);

export interface Scenario {
  readonly label: string;
  readonly count: number;
  readonly payloadBytes: number;
  readonly shape: 'rows' | 'padding';
  /** The baseline the warm start is held against: the streaming reader alone, or readFile + JSON.parse. */
  readonly baseline: 'stream' | 'json';
  /** Limits from issue 14: warm start ÷ baseline, RSS after start ÷ file, peak RSS ÷ file, build and restart wall time. */
  readonly targets: { readonly warmStart: number; readonly rssAfterStart?: number; readonly peakRss?: number; readonly buildMs?: number; readonly restartMs?: number };
}

interface AppRun {
  listenMs: number;
  cpuMs: number;
  rssAfterStartMb: number;
  maxRssMb: number;
  computed: number;
  cached: number;
  servedBytes: number;
}
interface ParseRun {
  listenMs: number;
  cpuMs: number;
  maxRssMb: number;
  entries: number;
}
interface RereadRun {
  fullMs: number;
  changedMs: number;
  fullCpuMs: number;
  changedCpuMs: number;
  changed: number;
  entries: number;
}

export interface ScaleRow {
  readonly scenario: Scenario;
  readonly fileMb: number;
  readonly build: { listen: Stat; cpu: Stat; maxRss: Stat };
  readonly warm: { listen: Stat; cpu: Stat; rssAfterStart: Stat; maxRss: Stat };
  /** The same app and plan started without the file (startup 'off'): Nest's boot and the plan, which the file's share excludes. */
  readonly withoutFile: { listen: Stat; cpu: Stat; rssAfterStart: Stat };
  readonly baseline: { listen: Stat; cpu: Stat; maxRss: Stat };
  readonly reread: { full: Stat; changed: Stat; fullCpu: Stat; changedCpu: Stat };
}

/** Runs a compiled bench script and returns the JSON of its `RESULT ` line. */
function result<T>(script: string, env: Record<string, string>, args: string[] = []): Promise<T> {
  const child = spawn(process.execPath, ['--max-old-space-size=16000', join(BUILD, script), ...args], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((done, fail) => {
    child.on('exit', (code) => {
      const line = output.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (code === 0 && line) done(JSON.parse(line.slice('RESULT '.length)) as T);
      else fail(new Error(`${script} ${JSON.stringify(env)} exited with ${code} before printing RESULT; output: ${output.slice(-500)}`));
    });
  });
}

export async function scaleBenchmarks(work: string, scenarios: readonly Scenario[], rounds: number, log: (line: string) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const scenario of scenarios) {
    const file = join(work, `scale-${scenario.count}-${scenario.payloadBytes}.json`);
    const env = { COUNT: String(scenario.count), PAYLOAD_BYTES: String(scenario.payloadBytes), SHAPE: scenario.shape, CACHE_FILE: file };
    const samples = { build: [] as AppRun[], warm: [] as AppRun[], withoutFile: [] as AppRun[], baseline: [] as ParseRun[], reread: [] as RereadRun[] };
    for (let round = 0; round < rounds; round++) {
      log(`  ${scenario.label}: build (round ${round + 1}/${rounds})`);
      rmSync(file, { force: true });
      samples.build.push(await result<AppRun>('scale-app.js', env));
      log(`  ${scenario.label}: restart with startup 'off'`);
      const warm = await result<AppRun>('scale-app.js', { ...env, STARTUP: 'off', LIVE: 'forbid' });
      if (warm.computed !== 0 || warm.cached !== scenario.count) throw new Error(`${scenario.label}: the restart did not find every entry cached`);
      samples.warm.push(warm);
      samples.baseline.push(await result<ParseRun>('scale-parse.js', { MODE: scenario.baseline }, [file]));
      log(`  ${scenario.label}: the same app without the file`);
      const none = `${file}.none.json`;
      samples.withoutFile.push(await result<AppRun>('scale-app.js', { ...env, CACHE_FILE: none, STARTUP: 'off' }));
      rmSync(none, { force: true });
      log(`  ${scenario.label}: re-read after a one-entry edit`);
      samples.reread.push(await result<RereadRun>('scale-reread.js', {}, [file]));
    }
    const column = <T>(list: readonly T[], pick: (item: T) => number) => stat(list.map(pick));
    rows.push({
      scenario,
      fileMb: statSync(file).size / 1e6,
      build: { listen: column(samples.build, (s) => s.listenMs), cpu: column(samples.build, (s) => s.cpuMs), maxRss: column(samples.build, (s) => s.maxRssMb) },
      warm: {
        listen: column(samples.warm, (s) => s.listenMs),
        cpu: column(samples.warm, (s) => s.cpuMs),
        rssAfterStart: column(samples.warm, (s) => s.rssAfterStartMb),
        maxRss: column(samples.warm, (s) => s.maxRssMb),
      },
      withoutFile: {
        listen: column(samples.withoutFile, (s) => s.listenMs),
        cpu: column(samples.withoutFile, (s) => s.cpuMs),
        rssAfterStart: column(samples.withoutFile, (s) => s.rssAfterStartMb),
      },
      baseline: { listen: column(samples.baseline, (s) => s.listenMs), cpu: column(samples.baseline, (s) => s.cpuMs), maxRss: column(samples.baseline, (s) => s.maxRssMb) },
      reread: {
        full: column(samples.reread, (s) => s.fullMs),
        changed: column(samples.reread, (s) => s.changedMs),
        fullCpu: column(samples.reread, (s) => s.fullCpuMs),
        changedCpu: column(samples.reread, (s) => s.changedCpuMs),
      },
    });
    rmSync(file, { force: true });
  }
  return rows;
}

const MB = 1e6 / 2 ** 20;
const verdict = (value: number, limit: number | undefined) => (limit === undefined ? '' : value <= limit ? ' ✓' : ' ✗');

/** The BENCHMARKS.md section. */
export function scaleReport(rows: readonly ScaleRow[], smoke: boolean): string {
  const lines = [
    '## Scale: large files and a million entries',
    '',
    'Each scenario is built (one handler, `startup: \'blocking\'`, instant handler, concurrency 8: process start to `listen()` is ' +
      'the precompute run plus persisting the file), then restarted with `startup: \'off\'` and a handler that fails when called, ' +
      'and three entries are requested over HTTP (so the cache answered them). The baseline is a process that only reads the ' +
      'same file: with the store\'s streaming reader, or with `readFile` + `JSON.parse` (impossible over 512 MiB). ' +
      'Wall time and CPU time (user + system) of each process; RSS as reported by the process. ' +
      '*Without the file* is the same app and plan started with no cache file: Nest\'s own boot and the plan, ' +
      'which a Nest app pays with any cache; *the file\'s share* is the restart minus that, held against the baseline, ' +
      'and *RSS the file adds* is the RSS after the restart minus that app\'s.' +
      (smoke ? ' **Smoke run: tiny sizes, figures are meaningless.**' : ''),
    '',
    '| scenario | file | build: start → listen() (CPU) | build peak RSS | restart → listen() (CPU) | baseline (CPU) | restart ÷ baseline | without the file (CPU), RSS | the file\'s share ÷ baseline | RSS after start ÷ file | RSS the file adds ÷ file | peak RSS ÷ file |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const { scenario, warm, baseline, build } = row;
    const fileMiB = row.fileMb * MB;
    const ratio = warm.listen.median / baseline.listen.median;
    const cpuRatio = warm.cpu.median / baseline.cpu.median;
    const { withoutFile } = row;
    const shareRatio = (warm.listen.median - withoutFile.listen.median) / baseline.listen.median;
    const shareCpuRatio = (warm.cpu.median - withoutFile.cpu.median) / baseline.cpu.median;
    const addedRss = (warm.rssAfterStart.median - withoutFile.rssAfterStart.median) / fileMiB;
    lines.push(
      `| ${scenario.label} | ${row.fileMb.toFixed(0)} MB | ${formatStat(build.listen, 0, ' ms')}${verdict(build.listen.median, scenario.targets.buildMs)} (${formatStat(build.cpu, 0, ' ms')}) | ` +
        `${formatStat(build.maxRss, 0, ' MB')} | ${formatStat(warm.listen, 0, ' ms')}${verdict(warm.listen.median, scenario.targets.restartMs)} (${formatStat(warm.cpu, 0, ' ms')}) | ` +
        `${formatStat(baseline.listen, 0, ' ms')} (${formatStat(baseline.cpu, 0, ' ms')}), ${scenario.baseline === 'json' ? '`JSON.parse`' : 'streaming reader'} | ` +
        `${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× CPU${verdict(Math.min(ratio, cpuRatio), scenario.targets.warmStart)} | ` +
        `${formatStat(withoutFile.listen, 0, ' ms')} (${formatStat(withoutFile.cpu, 0, ' ms')}), ${formatStat(withoutFile.rssAfterStart, 0, ' MB')} | ` +
        `${shareRatio.toFixed(2)}× wall, ${shareCpuRatio.toFixed(2)}× CPU${verdict(Math.min(shareRatio, shareCpuRatio), scenario.targets.warmStart)} | ` +
        `${(warm.rssAfterStart.median / fileMiB).toFixed(2)}×${verdict(warm.rssAfterStart.median / fileMiB, scenario.targets.rssAfterStart)} | ` +
        `${addedRss.toFixed(2)}×${verdict(addedRss, scenario.targets.rssAfterStart)} | ` +
        `${(warm.maxRss.median / fileMiB).toFixed(2)}×${verdict(warm.maxRss.median / fileMiB, scenario.targets.peakRss)} |`,
    );
  }
  lines.push(
    '',
    '### Re-reading the file after a one-entry edit (what the watcher does)',
    '',
    'Both read the whole file and hash each entry\'s bytes (the index the next re-read needs); the full read also decodes and parses every entry.',
    '',
    '| scenario | full streaming read: wall (CPU) | `readChangedEntries`, one entry parsed: wall (CPU) | CPU saved |',
    '|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario.label} | ${formatStat(row.reread.full, 0, ' ms')} (${formatStat(row.reread.fullCpu, 0, ' ms')}) | ` +
        `${formatStat(row.reread.changed, 0, ' ms')} (${formatStat(row.reread.changedCpu, 0, ' ms')}) | ` +
        `${(row.reread.fullCpu.median / row.reread.changedCpu.median).toFixed(2)}× less |`,
    ),
    '',
    '![warm start against entries](bench/results/scale-start.svg)',
    '',
    '![RSS against entries](bench/results/scale-rss.svg)',
  );
  return lines.join('\n');
}

export function scaleCharts(rows: readonly ScaleRow[]): { start: string; rss: string } {
  const label = (row: ScaleRow) => `${row.scenario.label} (${row.fileMb.toFixed(0)} MB)`;
  return {
    start: barChart('Warm start: process start → listen(), wall and CPU (s, median)', 's', [
      ...rows.flatMap((row) => {
        const baseline = row.scenario.baseline === 'json' ? 'JSON.parse' : 'streaming read';
        return [
          { label: `${label(row)} · app, wall`, value: row.warm.listen.median / 1000, group: 'app' },
          { label: 'app, CPU', value: row.warm.cpu.median / 1000, group: 'app' },
          { label: `${baseline} alone, wall`, value: row.baseline.listen.median / 1000, group: 'baseline' },
          { label: `${baseline} alone, CPU`, value: row.baseline.cpu.median / 1000, group: 'baseline' },
        ];
      }),
    ]),
    rss: barChart('Memory after a warm start, and the file (MB)', 'MB', [
      ...rows.flatMap((row) => [
        { label: `${label(row)} · RSS after start`, value: row.warm.rssAfterStart.median / MB, group: 'rss' },
        { label: 'file size', value: row.fileMb, group: 'file' },
      ]),
    ]),
  };
}

/** Issue 14's scenarios; tiny ones for the smoke run of the test suite. */
export function scaleScenarios(smoke: boolean): Scenario[] {
  return [
    { label: smoke ? '30 × 20 KB' : '3,000 × 200 KB', count: smoke ? 30 : 3000, payloadBytes: smoke ? 20_000 : 200_000, shape: 'rows', baseline: 'stream', targets: { warmStart: 1.5, peakRss: 1.5 } },
    { label: smoke ? '500 × 1 KB' : '100,000 × 1 KB', count: smoke ? 500 : 100_000, payloadBytes: 1000, shape: 'padding', baseline: 'json', targets: { warmStart: 1.5, rssAfterStart: 2 } },
    {
      label: smoke ? '2,000 × 1 KB' : '1,000,000 × 1 KB',
      count: smoke ? 2000 : 1_000_000,
      payloadBytes: 1000,
      shape: 'padding',
      baseline: 'stream',
      targets: { warmStart: 1.5, buildMs: 30_000, restartMs: 15_000 },
    },
  ];
}

/** Writes the charts into `out`/bench/results and returns the report section. */
export async function runScaleBenchmarks(work: string, out: string, smoke: boolean, log: (line: string) => void): Promise<string> {
  // SCALE_ONLY=100000,1000000: only the scenarios of these entry counts (re-measuring some rows)
  const only = process.env.SCALE_ONLY?.split(',').map(Number);
  // The smoke run (in npm test) runs one tiny scenario: it proves the code runs, within the suite's time
  const scenarios = scaleScenarios(smoke).filter((scenario) => (only ? only.includes(scenario.count) : !smoke || scenario.baseline === 'json'));
  const rows = await scaleBenchmarks(work, scenarios, Number(process.env.SCALE_ROUNDS ?? 1), log);
  const charts = scaleCharts(rows);
  mkdirSync(join(out, 'bench', 'results'), { recursive: true });
  writeFileSync(join(out, 'bench', 'results', 'scale-start.svg'), charts.start);
  writeFileSync(join(out, 'bench', 'results', 'scale-rss.svg'), charts.rss);
  const section = scaleReport(rows, smoke);
  writeFileSync(join(out, 'bench', 'results', 'scale.md'), `${section}\n`);
  return section;
}
