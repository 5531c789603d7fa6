import type { StatusPageOptions } from '../status-page/status-page-options';
import type { CompressOption } from '../serving/compress-settings';
import type { PrecomputeStore } from '../storage/precompute-store.interface';

/**
 * When the startup precompute runs:
 * - `blocking`: `app.listen()` resolves once every combination is computed;
 * - `background`: the app listens at once; misses run live and are stored;
 * - `off`: nothing is computed; the app serves what the cache holds.
 */
export type StartupMode = 'blocking' | 'background' | 'off';

/** What to do with a cache file that does not parse or has the wrong shape. */
export type InvalidFilePolicy = 'fail' | 'move-aside';

/** Options of `PrecomputeModule.forRoot()` / `forRootAsync()`. */
export interface PrecomputeModuleOptions {
  /** Path of the JSON cache file, relative to the working directory. */
  cacheFile?: string;
  /** A store of your own (e.g. shared by replicas) instead of the JSON file. */
  store?: PrecomputeStore;
  /** Combinations computed at the same time, per handler. Default 4. */
  concurrency?: number;
  /** Refuse handlers with more combinations than this. Default 10,000. */
  maxCombinations?: number;
  /** Default `blocking`. */
  startup?: StartupMode;
  /** Attempts after the first failure of one combination. Default 0. */
  retries?: number;
  /** Delay before the first retry; doubles with each retry. Default 500. */
  retryDelayMs?: number;
  /** Gives up on one attempt after this many milliseconds. Default: no limit. */
  timeoutMs?: number;
  /** Fail startup after the run when any combination failed. Default false. */
  failOnError?: boolean;
  /** Log progress lines while computing. Default true. */
  progress?: boolean;
  /** Least time between two progress lines. Default 2000. */
  progressIntervalMs?: number;
  /** A cache file that does not parse: `fail` (default) or `move-aside`. */
  onInvalidFile?: InvalidFilePolicy;
  /** Reload the cache file when a person edits it while the app runs. Default true. */
  watchFile?: boolean;
  /** A lock on the cache file older than this is taken over. Default 10,000. */
  lockStaleMs?: number;
  /** Store results of live requests for combinations missing from the cache. Default true. */
  persistLiveResults?: boolean;
  /** Seconds after which an entry is stale (served, recomputed in the background). Default: never. */
  ttlSeconds?: number;
  /** Default `@Precomputed({ refreshCron })` of every handler: recompute its combinations at these times. Default: none. */
  refreshCron?: string;
  /** IANA time zone of `refreshCron` (e.g. `'Europe/Paris'`). Default: the process's. */
  refreshTimeZone?: string;
  /** `Cache-Control` of cached answers (see `@Precomputed({ cacheControl })`). Default: none. */
  cacheControl?: string | true;
  /** Entries of an older `@Precomputed({ version })`: refreshed in the `background` (default) or before listening (`blocking`). */
  versionChangeAtStartup?: 'background' | 'blocking';
  /**
   * Answer cache hits before Nest's router (as middleware on Express, an
   * onRequest hook on Fastify). `'auto'` (default): for each route on which
   * Nest would run nothing else for a hit (no guards, no interceptors but
   * serializers, no middleware of a module's `configure()` mounted at its URLs,
   * no `@Render`/`@Redirect`, no host, no custom versioning); the startup log
   * says which path serves each handler and why. `true`: also where module
   * middleware is mounted (it is skipped on hits). `false`: never.
   */
  earlyHits?: boolean | 'auto';
  /**
   * Keep JSON and text bodies of at least `threshold` bytes (default 1024) in
   * brotli and gzip too, made once per entry, and send the one the client's
   * Accept-Encoding prefers, with its own ETag. Works with `compression()` and
   * `@fastify/compress` (they leave an encoded body alone). Default true.
   */
  compress?: CompressOption;
  /**
   * Query keys that are not parameters of any precomputed handler and must not
   * defeat the cache: names, or patterns where `*` is any text (`['utm_*', 'fbclid', '_']`).
   * A request carrying them maps to the same key as without them. Default: none
   * (an unknown query key runs the handler live, since the handler might read it).
   */
  ignoreQueryParams?: string[];
  /**
   * A handler that throws an HttpException with a 4xx status (e.g. NotFoundException,
   * "no data for this store") has answered: the status and body are stored and
   * served without calling it again, and count as "answered 404", not as failures.
   * Not stored when exception filters apply to the route (they shape the answer).
   * `false`: such combinations fail and run live on every request. Default true.
   * A 5xx or an error that is not an HttpException is always a failure.
   */
  cacheClientErrors?: boolean;
  /** Least severe messages logged: `log` (default), `warn`, `error` or `silent`. */
  logLevel?: 'log' | 'warn' | 'error' | 'silent';
  /** An HTML status page (and JSON) at `path`, behind `guard` (see the README). Default: none. */
  statusPage?: StatusPageOptions;
}
