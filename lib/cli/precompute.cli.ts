import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FreshnessPolicy } from '../freshness/freshness-policy';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import { describeAnswered } from '../engine/answered-counts';
import { HandlerPlans } from '../engine/handler-plans';
import { PrecomputeService } from '../precompute.service';
import { setOptionOverrides } from '../precompute.options';
import { runEntryUntilListen } from './entry-runner';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { transferRedisData } from '../storage/redis/redis-transfer';
import { CliLogger } from './cli-logger';

const USAGE = `Usage:
  nestjs-precompute build  --entry <compiled main file> [--cache-file <path>]
  nestjs-precompute build  --module <compiled root module> [--export AppModule] [--cache-file <path>]
  nestjs-precompute verify --entry <compiled main file> [--cache-file <path>]
  nestjs-precompute verify --module <compiled root module> [--export AppModule] [--cache-file <path>]
  nestjs-precompute redis-export (--redis <url> | --cluster <host:port,...>) --file <path> [--prefix nestjs-precompute]
  nestjs-precompute redis-import (--redis <url> | --cluster <host:port,...>) --file <path> [--prefix nestjs-precompute]
  nestjs-precompute --help

build         computes every missing combination, writes the cache file, and exits 0 when every
              combination has an answer (a 4xx answer counts), 1 otherwise.
verify        exits 1 if any combination is missing or stale; computes nothing.
redis-export  writes what a RedisStore holds to a cache file (to inspect or edit it).
redis-import  loads a cache file into a RedisStore (to seed a fleet with a file built in CI).

--entry       runs your app's own compiled main file (e.g. dist/main.js), so that everything main.ts
              configures applies: global prefix, versioning, global pipes, interceptors, filters,
              app.use(). Its app.listen() never opens the port. Use it whenever main.ts configures
              anything, so that the file holds the keys and bodies the running app serves.
--module      boots only the root module, without an HTTP server and without main.ts: for apps whose
              main.ts configures nothing but listen().
--cache-file  overrides the cacheFile of PrecomputeModule.forRoot().`;

const COMMANDS = {
  build: ['--module', '--entry', '--export', '--cache-file'],
  verify: ['--module', '--entry', '--export', '--cache-file'],
  'redis-export': ['--redis', '--cluster', '--file', '--prefix'],
  'redis-import': ['--redis', '--cluster', '--file', '--prefix'],
} as const;
type Command = keyof typeof COMMANDS;

interface Arguments {
  command: Command;
  flags: Map<string, string>;
}

function parse(argv: readonly string[]): Arguments {
  const [command, ...rest] = argv;
  if (!command || !Object.hasOwn(COMMANDS, command)) throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  const known: readonly string[] = COMMANDS[command as Command];
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (!known.includes(flag)) throw new UsageError(`unknown option "${flag}" for ${command}`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    flags.set(flag, value);
  }
  if (command.startsWith('redis') && flags.has('--redis') === flags.has('--cluster')) throw new UsageError(`give one of --redis and --cluster for ${command}`);
  for (const required of command.startsWith('redis') ? ['--file'] : []) {
    if (!flags.has(required)) throw new UsageError(`${required} is required for ${command}`);
  }
  if (!command.startsWith('redis') && flags.has('--module') === flags.has('--entry')) {
    throw new UsageError(`${command} needs either --entry <compiled main file> or --module <compiled root module>`);
  }
  if (flags.has('--entry') && flags.has('--export')) throw new UsageError('--export goes with --module only');
  return { command: command as Command, flags };
}

class UsageError extends Error {}

/** Loads the root module class from a compiled file (CommonJS or ESM). */
async function loadModule(path: string, exportName?: string): Promise<Type> {
  const file = absolute(path);
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown> & { default?: Record<string, unknown> };
  const candidates = { ...(typeof exports.default === 'object' ? exports.default : {}), ...exports };
  const name = exportName ?? 'AppModule';
  // Without --export: AppModule, or the only class the file exports
  const classes = Object.values(candidates).filter((value) => typeof value === 'function');
  const found = candidates[name] ?? (exportName === undefined && classes.length === 1 ? classes[0] : undefined);
  if (typeof found !== 'function') {
    throw new UsageError(`${file} exports no class "${name}"; name the root module with --export <name>`);
  }
  return found as Type;
}

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let args: Arguments;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'redis-export' || args.command === 'redis-import') return moveRedisData(args);
  const cacheFile = args.flags.get('--cache-file');
  // build computes everything the app would, entries of an older `version` included, before it exits
  setOptionOverrides({
    ...(cacheFile ? { cacheFile } : {}),
    ...(args.command === 'build' ? { startup: 'blocking', versionChangeAtStartup: 'blocking' } : { startup: 'off' }),
  });
  let app: INestApplicationContext | undefined;
  try {
    const entry = args.flags.get('--entry');
    if (entry) {
      app = await runEntryUntilListen(absolute(entry));
    } else {
      const rootModule = await loadModule(args.flags.get('--module') as string, args.flags.get('--export'));
      app = await NestFactory.createApplicationContext(rootModule, { logger: new CliLogger(process.stdout, true), abortOnError: false });
      await app.init();
    }
    return args.command === 'build' ? await build(app) : await verify(app);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    setOptionOverrides(undefined);
    await app?.close();
  }
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

async function moveRedisData(args: Arguments): Promise<number> {
  const target = { redis: args.flags.get('--redis'), cluster: args.flags.get('--cluster'), prefix: args.flags.get('--prefix') };
  try {
    process.stdout.write(`${await transferRedisData(args.command === 'redis-export' ? 'export' : 'import', target, args.flags.get('--file') as string)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

async function build(app: INestApplicationContext): Promise<number> {
  const summary = await app.get(PrecomputeService).whenReady();
  process.stdout.write(
    `Precompute: ${summary.cached} cached, ${summary.computed} computed${describeAnswered(summary.answered)}, ` +
      `${summary.failed} failed in ${summary.durationMs} ms\n`,
  );
  for (const failure of summary.failures) process.stdout.write(`  failed: ${failure.key}: ${failure.error}\n`);
  return summary.failed > 0 ? 1 : 0;
}

/** Entries `verify` reads from the store at once, when it must read them (a bounded local memory). */
const VERIFY_BATCH = 1000;
/** Missing or stale keys `verify` names per handler (the counts cover them all). */
const VERIFY_LISTED = 10;

async function verify(app: INestApplicationContext): Promise<number> {
  const store = app.get<PrecomputeStore>(PRECOMPUTE_STORE);
  const policy = app.get(FreshnessPolicy);
  const plans = app.get(HandlerPlans);
  let problems = 0;
  for (const handler of app.get(PrecomputeRegistry).all()) {
    let missing = 0;
    let stale = 0;
    const listed: string[] = [];
    const combinations = plans.of(handler);
    // A store holding part of its entries in memory (RedisStore's localCache) reads the others, a batch at a time
    for (let start = 0; start < combinations.length; start += VERIFY_BATCH) {
      const batch = combinations.slice(start, start + VERIFY_BATCH);
      const entries = await Promise.all(batch.map((combination) => store.get(combination.key) ?? store.fetch?.(combination.key)));
      entries.forEach((entry, index) => {
        const problem = !entry ? 'missing' : policy.isStale(handler, entry) ? 'stale' : undefined;
        if (problem === 'missing') missing++;
        if (problem === 'stale') stale++;
        if (problem && listed.length < VERIFY_LISTED) listed.push(`  ${problem}: ${batch[index].key}\n`);
      });
    }
    problems += missing + stale;
    process.stdout.write(`${handler.name}: ${handler.total} combinations, ${missing} missing, ${stale} stale\n`);
    process.stdout.write(listed.join('') + (missing + stale > listed.length ? `  and ${missing + stale - listed.length} more\n` : ''));
  }
  process.stdout.write(problems === 0 ? `OK: ${store.describe()} is complete and fresh\n` : `NOT OK: ${problems} combination(s) missing or stale in ${store.describe()}\n`);
  return problems === 0 ? 0 : 1;
}
