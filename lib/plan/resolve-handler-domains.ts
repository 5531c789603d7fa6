import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { readRouteArguments } from '../discovery/nest-internals';
import { resolveCombinationList } from '../domains/combination-list';
import { evaluateCombinations, evaluateParams } from '../domains/domain-functions';
import { loadClassValidator } from '../domains/class-validator.loader';
import type { ClassValidatorLike } from '../domains/dto-domains';
import { DEFAULT_MAX_INTEGER_RANGE } from '../domains/integer-range';
import { resolveDomains, type ArgumentSpec, type ExplicitDomain } from '../domains/parameter-domains';
import type { ParameterSource } from '../domains/parameter-slots';
import type { CombinationsFunction, PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import type { RouteTemplate } from '../keys/cache-key';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { assertWithinLimit } from './combinations';
import { PlannedKeys } from './planned-keys';

/** The handler whose domains to resolve: a `PrecomputedHandler` is one. */
export interface DomainTarget {
  /** `Controller.method`, for messages. */
  readonly name: string;
  readonly controller: Type;
  readonly methodName: string;
  readonly options: PrecomputedOptions;
}

export interface DomainContext {
  /** Passed to domain functions; also finds the store, for a handler whose domain is unknown. */
  readonly moduleRef: ModuleRef;
  readonly route: RouteTemplate;
  readonly maxCombinations: number;
  /** class-validator, when the app has it (an optional peer); loaded here when not given. */
  readonly classValidator?: ClassValidatorLike;
}

export interface ResolvedHandlerDomains {
  /** Keys and plan: `keys.params`, `combinations(keys)`, `keys.total`. */
  readonly keys: PlannedKeys;
  readonly args: readonly ArgumentSpec[];
  readonly total: number;
  /** Mistakes in code: at startup, the app refuses to start and lists them. */
  readonly problems: readonly string[];
  /**
   * Set when the data failed (a domain function threw, returned something
   * else than values, or values the handler refuses): this run of the handler
   * fails with this message, `keys` plans nothing and serves only what is stored.
   */
  readonly failure?: string;
}

/**
 * The one call that turns a handler's `@Precomputed()` options into its
 * domains, keys and plan, running its domain functions with `moduleRef`. Called
 * at startup (and so by the CLI, which boots the app), and meant to be called
 * again before each refresh of the handler: with a failure, keep the previous
 * keys (their entries stay served) and fail the refresh with `failure`; without,
 * replace the handler's keys and plan by these (removed values then run live).
 */
export async function resolveHandlerDomains(target: DomainTarget, context: DomainContext): Promise<ResolvedHandlerDomains> {
  const { name, options } = target;
  const maxIntegerRange = options.maxIntegerRange ?? DEFAULT_MAX_INTEGER_RANGE;
  if (!Number.isInteger(maxIntegerRange) || maxIntegerRange < 1) {
    return refuse(context, [messages.invalidPrecomputedOption(name, 'maxIntegerRange', `must be a whole number of at least 1, got ${String(maxIntegerRange)}`)]);
  }
  if (options.combinations !== undefined && options.params !== undefined) return refuse(context, [messages.paramsWithCombinations(name)]);
  if (options.combinations !== undefined && typeof options.combinations !== 'function') {
    return refuse(context, [messages.invalidPrecomputedOption(name, 'combinations', 'must be a function returning an array of objects')]);
  }
  const source: ParameterSource = {
    handler: name,
    routeArgs: readRouteArguments(target.controller, target.methodName),
    paramtypes: (Reflect.getMetadata('design:paramtypes', target.controller.prototype, target.methodName) as unknown[]) ?? [],
    classValidator: context.classValidator ?? (await loadClassValidator()),
    maxIntegerRange,
  };
  return options.combinations ? resolveListed(source, options.combinations, context) : resolveProduct(source, options.params ?? {}, context);
}

/** `combinations`: the exact list; on failure every parameter is unknown, since the list is what ties their values together. */
async function resolveListed(source: ParameterSource, list: CombinationsFunction, context: DomainContext): Promise<ResolvedHandlerDomains> {
  const { handler: name } = source;
  const evaluated = await evaluateCombinations(name, list, context.moduleRef);
  const domains = resolveCombinationList(source, 'rows' in evaluated ? evaluated.rows : []);
  if (domains.problems.length) return refuse(context, [...domains.problems]);
  const overLimit = domains.list.length > context.maxCombinations ? messages.tooManyListed(name, domains.list.length, context.maxCombinations) : undefined;
  const failure = ('failure' in evaluated ? evaluated.failure : domains.failures[0]) ?? overLimit;
  if (failure) {
    const unknown = domains.params.map((_, i) => i);
    const params = domains.params.map((param) => ({ ...param, values: [] }));
    return { keys: new PlannedKeys(context.route, params, { unknown, isStored: storeLookup(context) }), args: domains.args, total: 0, problems: [], failure };
  }
  const keys = new PlannedKeys(context.route, domains.params, { list: domains.list });
  return { keys, args: domains.args, total: keys.total, problems: [] };
}

/** `params` and inference: the product of the domains; on failure the values read from data are unknown. */
async function resolveProduct(
  source: ParameterSource,
  params: NonNullable<PrecomputedOptions['params']>,
  context: DomainContext,
): Promise<ResolvedHandlerDomains> {
  const { handler: name } = source;
  const evaluated = await evaluateParams(name, params, context.moduleRef);
  const domains = resolveDomains({ ...source, explicit: evaluated.explicit });
  if (domains.problems.length) return refuse(context, [...domains.problems]);
  let failure = [...evaluated.failures, ...domains.failures].join('\n') || undefined;
  if (!failure) {
    try {
      assertWithinLimit(name, domains.params, context.maxCombinations);
    } catch (error) {
      // Too many values in data fails this run; too many in code is a mistake to fix
      if (!Object.values(evaluated.explicit).some((domain) => domain.dynamic)) return refuse(context, [(error as Error).message]);
      failure = (error as Error).message;
    }
  }
  if (!failure) {
    const keys = new PlannedKeys(context.route, domains.params);
    return { keys, args: domains.args, total: keys.total, problems: [] };
  }
  const explicit = Object.fromEntries(
    Object.entries(evaluated.explicit).map(([key, domain]): [string, ExplicitDomain] => [key, domain.dynamic ? { ...domain, values: [], unknown: true } : domain]),
  );
  const unknown = resolveDomains({ ...source, explicit });
  const keys = new PlannedKeys(context.route, unknown.params, { unknown: unknown.unknown, isStored: storeLookup(context) });
  return { keys, args: unknown.args, total: 0, problems: [], failure };
}

function refuse(context: DomainContext, problems: string[]): ResolvedHandlerDomains {
  return { keys: new PlannedKeys(context.route, []), args: [], total: 0, problems };
}

/** Whether the store holds a key: looked up when a request arrives (the store opens after discovery), then kept. */
function storeLookup(context: DomainContext): (key: string) => boolean {
  let store: PrecomputeStore | undefined;
  return (key) => (store ??= context.moduleRef.get<PrecomputeStore>(PRECOMPUTE_STORE, { strict: false })).get(key) !== undefined;
}
