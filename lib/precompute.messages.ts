/**
 * Every message a user can see, in one place. Each says what happened, where,
 * and how to fix it.
 */
const FIX_PARAM =
  'Give it a discrete domain: in a @Query()/@Param() DTO use @IsEnum(E), @IsIn([...]) or @IsBoolean() ' +
  '(plus @IsOptional() if it may be absent); for a named parameter use new ParseEnumPipe(E) or ParseBoolPipe; ' +
  'or list its values with @Precomputed({ params: { <name>: [...] } }).';

export const messages = {
  cannotPrecompute: (count: number, problems: readonly string[]) =>
    `nestjs-precompute cannot precompute ${count} handler${count === 1 ? '' : 's'}:\n` +
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
    `${first} and ${second} both produce the cache key "${key}" (same method and path). ` +
    'Give the routes different paths, or precompute only one of them.',
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
  // Observability: the status page (lib/status-page)
  statusPageWithoutGuard: (path: string, environment: string | undefined) =>
    `PrecomputeModule: statusPage at ${path} has no guard, and NODE_ENV is ${environment === undefined ? 'not set' : `"${environment}"`}. ` +
    'The page shows every cached combination and its errors: give it a guard, e.g. statusPage: { path, guard: AdminGuard }, ' +
    'or run with NODE_ENV=development to see it unguarded on your machine.',
  statusPageOption: (problem: string) =>
    `PrecomputeModule: option "statusPage" ${problem}. Example: statusPage: { path: '/precompute', guard: AdminGuard }.`,
};
