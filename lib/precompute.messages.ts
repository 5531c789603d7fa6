/**
 * The texts of the errors that stop startup (handlers, options, a missing
 * module) or reject a call to the public API, in one place. Each says what
 * happened, where, and how to fix it. Log lines, and the stores' own errors
 * about their file or connection, stay beside the code that logs or throws them.
 */
const FIX_PARAM =
  'Give it a discrete domain: in a @Query()/@Param() DTO use @IsEnum(E), @IsIn([...]) or @IsBoolean() ' +
  '(plus @IsOptional() if it may be absent); for a named parameter use new ParseEnumPipe(E) or ParseBoolPipe; ' +
  'or list its values with @Precomputed({ params: { <name>: [...] } }).';

export const messages = {
  cannotPrecompute: (count: number, problems: readonly string[]) =>
    `nestjs-precompute cannot precompute these handlers (${count} problem${count === 1 ? '' : 's'}):\n` +
    problems.map((problem) => `  - ${problem}`).join('\n'),
  requestScoped: (handler: string) =>
    `${handler}: its controller is request-scoped (or depends on a request-scoped provider), so there is no ` +
    'instance to call at startup. Make the controller and its dependencies singletons (the default scope), ' +
    'or remove @Precomputed().',
  notGet: (handler: string, method: string) =>
    `${handler}: only GET handlers can be precomputed (this one handles ${method}). Remove @Precomputed().`,
  responseParam: (handler: string, index: number, decorator: string) =>
    `${handler}: parameter #${index} uses ${decorator}; a cached answer cannot be written through the raw ` +
    'response object (the request would hang). Return the value from the handler instead.',
  unsupportedParam: (handler: string, index: number, decorator: string) =>
    `${handler}: parameter #${index} uses ${decorator}, whose value is not known before a request arrives. ` +
    'Only @Query() and @Param() parameters with discrete values can be precomputed; move the input to the ' +
    'query string or a route param, or remove @Precomputed().',
  customParam: (handler: string, index: number) =>
    `${handler}: parameter #${index} uses a custom param decorator, whose value is not known before a ` +
    'request arrives. Use @Query()/@Param() with discrete values, or remove @Precomputed().',
  noDomain: (handler: string, what: string, reason: string) =>
    `${handler}: ${what} ${reason}. ${FIX_PARAM}`,
  objectWithoutDto: (handler: string, index: number, decorator: string) =>
    `${handler}: parameter #${index} is a whole ${decorator} object without a DTO class, so its keys are ` +
    'unknown. Type it with a DTO class whose properties use @IsEnum/@IsIn/@IsBoolean, or list its keys ' +
    'with @Precomputed({ params: { <key>: [...] } }).',
  unknownExplicitParam: (handler: string, name: string, known: readonly string[]) =>
    `${handler}: @Precomputed({ params }) names "${name}", which is not a parameter of this handler ` +
    `(its parameters: ${known.length ? known.join(', ') : 'none'}). Fix the name, or remove it.`,
  duplicateParam: (handler: string, name: string) =>
    `${handler}: the ${name} parameter is declared twice. Declare each query key or route param once.`,
  emptyDomain: (handler: string, name: string) =>
    `${handler}: parameter "${name}" has no possible value (an empty enum, list, or validators that ` +
    'exclude each other). Fix its domain.',
  tooManyCombinations: (handler: string, count: number, max: number, factors: string) =>
    `${handler} has ${count.toLocaleString('en-US')} combinations, more than maxCombinations ` +
    `(${max.toLocaleString('en-US')}). Largest domains: ${factors}. Narrow them with ` +
    '@Precomputed({ params }), or raise maxCombinations in PrecomputeModule.forRoot().',
  keyCollision: (key: string, first: string, second: string) =>
    `${first} and ${second} both produce the cache key "${key}" (same method, path, version and host). ` +
    'Give the routes different paths, or precompute only one of them. If the app itself serves both (main.ts ' +
    'sets versioning or a global prefix) and this is the CLI with --module, build with --entry <compiled main.js>: ' +
    '--module boots the root module without what main.ts configures.',
  invalidOption: (name: string, problem: string) =>
    `PrecomputeModule: option "${name}" ${problem}. See the options table in the README.`,
  unknownOption: (name: string, known: readonly string[]) =>
    `PrecomputeModule: unknown option "${name}". Known options: ${known.join(', ')}.`,
  noCacheFile: () =>
    'PrecomputeModule: no cache file configured. Use PrecomputeModule.forRoot(\'cache.json\') or ' +
    'forRoot({ cacheFile: \'cache.json\' }), or pass a store.',
  invalidPrecomputedOption: (handler: string, name: string, problem: string) =>
    `${handler}: @Precomputed({ ${name} }) ${problem}.`,
  moduleNotImported: () =>
    '@Precomputed() is used, but PrecomputeModule is not imported. Add PrecomputeModule.forRoot(\'cache.json\') ' +
    '(or forRootAsync) to the imports of your root module; it is global, so feature modules need nothing more.',
  runFailed: (failed: number, lines: string) =>
    `nestjs-precompute: ${failed} combination${failed === 1 ? '' : 's'} failed and failOnError is set:\n${lines}`,
  // Engine and public API (issue 12)
  notAPrecomputedHandler: (name: string) => `${name} is not a @Precomputed() handler known to this app`,
  noHandlerMatches: (name: string) => `${name} matches no @Precomputed() handler known to this app`,
  unknownTargetParam: (handler: string, name: string, known: readonly string[]) =>
    `${handler} has no parameter "${name}" (it has: ${known.join(', ') || 'none'})`,

  // Routes, versions, ignored query keys, validation (discovery and keys)
  missingValidation: (handler: string, params: readonly string[]) =>
    `${handler}: ${params.join(', ')} ${params.length === 1 ? 'is' : 'are'} not validated by any pipe. A request with a value ` +
    'outside the precomputed domain runs the handler live with that value instead of answering 400. Add ' +
    '`app.useGlobalPipes(new ValidationPipe({ transform: true }))` in main.ts (or @UsePipes(ValidationPipe) on the ' +
    'controller) for DTOs, and a pipe such as `new ParseEnumPipe(E)` on named parameters.',
  noRoute: (handler: string) =>
    `${handler}: Nest registers no route for it, so no request could be answered from the cache. ` +
    'Give it a route decorator (@Get()) on a controller, or remove @Precomputed().',
  invalidIgnorePattern: (where: string, problem: string) =>
    `${where}: ignoreQueryParams ${problem}. Give key names, or patterns such as 'utm_*'.`,

  // Data domains (issue 16): domain functions, combinations, integer ranges
  domainFunctionFailed: (handler: string, where: string, what: string) =>
    `${handler}: ${where} ${what}. This run of ${handler} failed: nothing new is computed for it, and the ` +
    'entries already cached for it are still served. Fix the function or the data it reads; it runs again at ' +
    'the next start or refresh.',
  valuesRefused: (handler: string, name: string, origin: string, values: string, rule: string) =>
    `${handler}: ${origin} gives parameter "${name}" the value(s) ${values}, which ${rule} refuses ` +
    '(they would fail when computed). Remove them, or change the enum, validators or pipe.',
  combinationsRefused: (handler: string, invalid: number, total: number, lines: string) =>
    `${handler}: ${invalid} of the ${total} combinations from @Precomputed({ combinations }) are invalid, so ` +
    `the list is refused:\n${lines}\nEach object must name only parameters of the handler, give every route ` +
    'param, and give values its enums, validators and pipes accept. The entries already cached are still served.',
  paramsWithCombinations: (handler: string) =>
    `${handler}: @Precomputed() has both params and combinations. Use combinations alone (each object names ` +
    'every parameter of one combination), or params alone.',
  tooManyListed: (handler: string, count: number, max: number) =>
    `${handler}: @Precomputed({ combinations }) returned ${count.toLocaleString('en-US')} combinations, more than ` +
    `maxCombinations (${max.toLocaleString('en-US')}). Return fewer, or raise maxCombinations in PrecomputeModule.forRoot().`,
  invalidCron: (where: string, expression: string, detail: string) =>
    `${where}: "${expression}" is not a valid cron expression (${detail}). Use five fields ` +
    '(minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 every day), six with seconds first, ' +
    'or an alias such as "@daily".',
  invalidCronTimeZone: (where: string, timeZone: string) =>
    `${where}: "${timeZone}" is not a known time zone. Use an IANA name such as "Europe/Paris" or "UTC".`,

  // --- JSON file store (lib/storage/json-file) ---
  cacheFileBlocked: (file: string, blocker: string) =>
    `Cache file ${file} cannot be created: ${blocker} is a file, not a directory. ` +
    'Set cacheFile to a path inside a directory (e.g. \'cache/cache.json\'), or move that file away.',
  cacheFileWriteFailed: (file: string, error: string, advice: string, maxDelaySeconds: number) =>
    `Cannot write ${file}: ${error}. Serving from memory; nothing on disk was changed. ` +
    `Retrying every ${maxDelaySeconds}s at most; ${advice}.`,
  cacheFileWritable: (file: string) => `Writing ${file} works again`,
  cacheFileUnlockable: (file: string, error: string) =>
    `Cannot lock ${file} (${error}); results are kept in memory and written when the directory becomes writable. ` +
    "Check the permissions of the cache file's directory, or whether its filesystem is read-only.",
  cacheFileCopiedInPlace: (file: string, code: string) =>
    `${file} cannot be replaced by renaming (${code}: a single-file bind mount, e.g. docker -v ./cache.json:/app/cache.json): ` +
    'writing it in place through a temporary copy instead, the journal covering a crash in between. ' +
    'Mounting the directory instead of the file lets it be replaced atomically.',
  cacheFileSymlink: (file: string, target: string) =>
    `${file} is a symbolic link: writing through to ${target} and watching it there (its journal and lock sit beside it)`,
  cacheFileLinkReplaced: (file: string, target: string, replacedBy: string) =>
    replacedBy === 'removed'
      ? `${file} was a symbolic link to ${target} and was removed. This process goes on serving and writing ${target}; ` +
        `the next start would begin an empty cache at ${file}. Fix: restore the link (\`ln -s ${target} ${file}\`).`
      : `${file} was a symbolic link to ${target} and is now ${replacedBy}: an editor or \`sed -i\` ` +
        'saves by writing a new file and renaming it over the link. This process goes on serving and writing ' +
        `${target} and does not read ${file}: an edit saved there is not served, and the next start would read ${file} instead. ` +
        `Fix, keeping the edit: copy the file into the target (\`cp ${file} ${target}.edit && mv ${target}.edit ${target}\`; ` +
        'it is read as a save from an older copy: your edits win, newer values are kept), then restore the link ' +
        `(\`ln -sf ${target} ${file}\`). Restoring the link first would delete the edit. Next time, edit through the link with \`sed -i --follow-symlinks\`.`,
  cacheFileLinkRestored: (file: string, target: string) => `${file} is a symbolic link to ${target} again`,
  cacheFileLeftovers: (file: string, removed: readonly string[], finished?: string) =>
    `${file}: removed ${removed.length} temporary file(s) of processes that are gone (${removed.join(', ')})` +
    (finished ? `; finished writing ${file} from ${finished}, which a crash had interrupted` : ''),
  cacheFileDeleted: (file: string, entries: number) =>
    `${file} was deleted while the app runs: writing the ${entries} entries in memory to a new file now. ` +
    'To compute everything again, use PrecomputeService.refresh(), or delete the file while the app is stopped.',
  cacheFileEditedDuringCompaction: (file: string) =>
    `${file} changed while it was being compacted (an edit saved meanwhile): merged the change and compacting again`,
  cacheFileStaleSave: (file: string, olderKept: number, missingKept: number, taken: number) =>
    `${file} was saved from an older copy (${olderKept} entr${olderKept === 1 ? 'y is' : 'ies are'} older than this process's): ` +
    `kept the newer value of ${olderKept} and the ${missingKept} entr${missingKept === 1 ? 'y' : 'ies'} the save lacked, ` +
    `took ${taken} edited or newer entr${taken === 1 ? 'y' : 'ies'} from it, and wrote the result back.`,
  cacheFileReloaded: (file: string, changed: number) =>
    `Reloaded ${file}: ${changed} entr${changed === 1 ? 'y' : 'ies'} changed on disk`,
  journalTornTail: (journal: string) =>
    `${journal}: its last line is incomplete (the process writing it was killed mid-line); that one result was not ` +
    'kept, and is computed again if it is missing',
  journalCorruptLines: (journal: string, lines: number) =>
    `${journal}: ${lines} unreadable line(s) skipped; the journal will be kept aside`,
  journalRecovered: (journal: string, count: number) => `Recovered ${count} result(s) from ${journal}`,
  journalKeptEdits: (count: number) =>
    `Kept ${count} hand-edited entr${count === 1 ? 'y' : 'ies'} over newer results in the journal; refresh with { force: true } to replace them`,
  cacheFileBrokenWhileRunning: (problem: string, entries: number) =>
    `${problem} It was left untouched, and nothing is written to it until it parses again; the ${entries} entries in ` +
    'memory are served meanwhile. Fix it by hand (it is JSON).',
  cacheFileNotRewritten: (file: string) =>
    `Not rewriting ${file} while it does not parse; new results stay in the journal`,
  // --- return shapes, 4xx answers, CLI --entry (serving fidelity) ---
  serializerFailed: (handler: string, serializer: string, error: string) =>
    `${handler}: ${serializer} failed while serializing a precomputed value (${error}). Values are computed without a request: ` +
    'an interceptor sees no request or response then (`switchToHttp().getRequest()` and `getResponse()` are undefined). ' +
    'Make it check for them, or keep the route out of @Precomputed() if its answer depends on who asks.',
  cannotReproduce: (handler: string, what: string) =>
    `${handler} ${what}. Its answer cannot be stored and served exactly as the live one, so it is not cached ` +
    '(the combination counts as failed and requests run live). Return an object, array, string, number, boolean, ' +
    'Date, Buffer or StreamableFile, or remove @Precomputed().',
  liveErrorAnswer: (handler: string, key: string, status: number) =>
    `${handler} answered ${status} for ${key}; stored as an answer (set cacheClientErrors: false to retry such combinations instead)`,
  entryNotListening: (file: string) =>
    `${file} finished without creating a Nest application (NestFactory.create). --entry runs your compiled main file, ` +
    'which must create the app and call app.listen(); for an app that configures nothing in main.ts use --module.',

  // --- Module setup and the Redis store (redis engineer) ---
  cacheFileParentIsFile: (cacheFile: string, parent: string) =>
    `PrecomputeModule: option "cacheFile" is "${cacheFile}", but ${parent} is a file, not a directory, so the cache ` +
    'file can never be written there. Point cacheFile into a directory (e.g. a cache/ folder of the app), or move that file away.',
  forRootWithoutOptions: () =>
    'PrecomputeModule.forRoot() needs options: forRoot(\'cache.json\'), forRoot({ cacheFile: \'cache.json\', ...options }), ' +
    'forRoot({ store: new RedisStore(...) }), or forRootAsync({ useFactory, inject }) to build them from other providers.',
  importedTwice: (count: number, importers: readonly string[]) =>
    `PrecomputeModule is imported ${count} times (forRoot/forRootAsync${importers.length ? `, in ${importers.join(', ')}` : ''}); ` +
    'each import would compute every combination again, into its own store. Import it once, in the root module: it is ' +
    'global, so @Precomputed() works in every feature module and PrecomputeService can be injected anywhere.',
  redisUnreachable: (store: string, reason: string) =>
    `Cannot reach ${store}: ${reason.replace(/\.+$/, '')}. Start Redis or fix the connection options; or set ` +
    "onUnavailable: 'local' to compute and serve locally until Redis is reachable.",
  redisWrongPassword: (store: string, reason: string) =>
    `${store}: Redis refused the credentials (${reason}). Fix the username and password of the RedisStore ` +
    'connection: redis://user:password@host:port, or { username, password } (a user made with ACL SETUSER needs ' +
    'its name too). onUnavailable does not apply: wrong credentials are not an outage.',
  redisNoPassword: (store: string, reason: string) =>
    `${store}: Redis requires a password (${reason}) and the RedisStore connection gives none. Add it: ` +
    'redis://:password@host:port (redis://user:password@host:port for an ACL user), or { username, password }.',
  redisNoPermission: (store: string, denied: string, commands: readonly string[], keyPattern: string, channel: string, rule: string) =>
    `${store}: the Redis user lacks rights the store needs: ${denied}. The store needs the commands ` +
    `${commands.join(', ')} on the keys ${keyPattern}, and the pub/sub channel ${channel}. Grant them, e.g. ` +
    `ACL SETUSER <user> ${rule} (added to the user's rules), or choose a prefix the user has rights on.`,
  redisWritesRefused: (store: string, reason: string, pending: number) =>
    `${store}: Redis refuses this store's writes (${reason}); ${pending} change(s) are kept in memory but reach no ` +
    'other replica. Grant the rights the store needs (the startup check lists them: restart to see it).',
  redisIsCluster: (where: string, reason: string) =>
    `${where} is a node of a Redis Cluster (${reason}). Give the cluster's nodes instead of one URL: ` +
    '--cluster host:port,host:port (any reachable nodes; the others are found from them).',

  // --- Calling handlers at startup (lead) ---
  pipeRefusedGeneratedValue: (handler: string, argument: string, raw: string, refusal: string) =>
    `${handler}: the app's pipes refuse ${argument} = ${raw}, a value nestjs-precompute generated from the ` +
    `parameter's own domain (${refusal}). A request with it would get that error live too, so nothing is cached ` +
    'for it and the combination counts as failed. Usually the DTO lacks a conversion from the query string: ' +
    'add @Type(() => Number) to numeric properties (or transformOptions: { enableImplicitConversion: true } to the ' +
    'ValidationPipe), @Transform(({ value }) => value === \'true\') to booleans, or list the values the app ' +
    'accepts with @Precomputed({ params }).',
  notAPrecomputedValue: (handler: string, name: string, value: unknown, values: readonly unknown[]) =>
    `${handler}: ${String(value)} is not a precomputed value of "${name}" (its values: ${values.map((v) => (v === undefined ? '(absent)' : String(v))).join(', ')})`,
  noHandlerHasParams: (names: readonly string[], handlers: readonly string[]) =>
    `No precomputed handler of the target has the parameter${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n}"`).join(', ')}; ` +
    `its handlers and their parameters: ${handlers.join('; ')}`,
  cacheFileValidAgain: (file: string) => `${file} is valid again: its entries are read, and it is written as usual`,
  entryMissing: (file: string) =>
    `--entry ${file}: no such file. Pass the compiled main file of the app (e.g. dist/main.js, after nest build or tsc), not its TypeScript source.`,
  // --- Data domains on refresh and refresh on a schedule (cron engineer) ---
  valuesLeftDomain: (handler: string, count: number, sample: readonly string[], store: string) =>
    `${handler}: ${count} combination${count === 1 ? '' : 's'} left its data domain on refresh ` +
    `(${sample.join(', ')}${count > sample.length ? ', ...' : ''}): no longer served from the cache, requests for ` +
    `${count === 1 ? 'it' : 'them'} run live. Kept in ${store} as they are (delete them by hand if they are no longer needed).`,
  cronRefreshFailed: (handler: string, failed: number, next: string) =>
    `${handler}: the scheduled refresh (refreshCron) ended with ${failed} failure${failed === 1 ? '' : 's'}; ` +
    `the previous values are still served. Next run at ${next}.`,
  cronCatchUp: (handler: string, due: string) =>
    `${handler}: entries are older than the scheduled refresh (refreshCron) due at ${due}, which was missed while the app was down or cut short ` +
    'by its shutdown: refreshing them now (entries computed since are left alone).',
  // Observability: the status page (lib/status-page)
  statusPageWithoutGuard: (path: string, environment: string | undefined) =>
    `PrecomputeModule: statusPage at ${path} has no guard, and NODE_ENV is ${environment === undefined ? 'not set' : `"${environment}"`}. ` +
    'The page shows every cached combination and its errors: give it a guard, e.g. statusPage: { path, guard: AdminGuard }, ' +
    'or run with NODE_ENV=development to see it unguarded on your machine.',
  statusPageOption: (problem: string) =>
    `PrecomputeModule: option "statusPage" ${problem}. Example: statusPage: { path: '/precompute', guard: AdminGuard }.`,
  // Serving paths and precompressed bodies (issue 15)
  servingPath: (name: string, path: string, serving: { readonly early: boolean; readonly reason?: string }) =>
    serving.early
      ? `${name} (GET ${path}): hits are answered early, before Nest's router`
      : `${name} (GET ${path}): hits are answered by the interceptor, after Nest's pipeline, because ${serving.reason ?? 'of its setup'}`,
};
