import type { ParameterSpec, RawValue } from '../domains/domain-values';
import { IGNORE_NOTHING, type IgnoredQueryParam } from './query-ignore';

/** Method and path template of a route, e.g. `GET` and `/stores/:store/report`. */
export interface RouteTemplate {
  readonly method: string;
  /** The path exactly as Nest registered it (prefix, RouterModule path and URI version included). */
  readonly path: string;
  /** What tells this route's version apart when the path does not (`-H 'X-API-Version: 2'`); appended to every key. */
  readonly label?: string;
}

/** A request's query and route params as the HTTP adapter parsed them: strings, arrays, absent. */
export type RawParams = Readonly<Record<string, unknown>>;

const allowedSets = new WeakMap<ParameterSpec, ReadonlySet<RawValue>>();

/** A parameter's values as a set, made once per parameter: every route and plan of a handler shares it (a domain may hold a million values). */
export function allowedValues(param: ParameterSpec): ReadonlySet<RawValue> {
  let allowed = allowedSets.get(param);
  if (!allowed) {
    allowed = new Set(param.values);
    allowedSets.set(param, allowed);
  }
  return allowed;
}

/**
 * The one source of cache keys. A key reads like the request it answers:
 * `GET /stores/101/report?period=Q1&region=EMEA` (query keys sorted, values
 * URL-encoded, absent parameters left out). Precompute builds keys from
 * combinations and the interceptor from live requests, both through `keyOf()`,
 * so the two can never drift apart.
 */
export class CacheKeyBuilder {
  private readonly queryIndex = new Map<string, number>();
  private readonly allowed: ReadonlyArray<ReadonlySet<RawValue>>;
  /** Query parameter positions, sorted by name. */
  private readonly queryOrder: readonly number[];
  private readonly segments: ReadonlyArray<string | number>;

  constructor(
    readonly route: RouteTemplate,
    readonly params: readonly ParameterSpec[],
    /** Query keys that are not parameters and must not defeat the cache (`ignoreQueryParams`). */
    private readonly ignored: IgnoredQueryParam = IGNORE_NOTHING,
  ) {
    params.forEach((param, index) => param.source === 'query' && this.queryIndex.set(param.name, index));
    this.allowed = params.map(allowedValues);
    this.queryOrder = [...this.queryIndex.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, index]) => index);
    this.segments = route.path.split('/').map((segment) => {
      const index = params.findIndex((param) => param.source === 'path' && segment === `:${param.name}`);
      return index >= 0 ? index : segment;
    });
  }

  /** The key of one combination (raw values aligned with `params`). */
  keyOf(values: readonly RawValue[]): string {
    let path = '';
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (i > 0) path += '/';
      path += typeof segment === 'number' ? encodeURIComponent(values[segment] ?? '') : segment;
    }
    let query = '';
    for (const index of this.queryOrder) {
      const value = values[index];
      if (value === undefined) continue;
      query += `${query ? '&' : '?'}${encodeURIComponent(this.params[index].name)}=${encodeURIComponent(value)}`;
    }
    return `${this.route.method} ${path || '/'}${query}${this.route.label ?? ''}`;
  }

  /**
   * The combination a live request asks for, or undefined when it is not
   * exactly one combination of the domain: an unknown or repeated query key, a
   * value outside the domain, a required parameter missing. Those requests go
   * through Nest's normal pipeline instead. Ignored query keys (`ignoreQueryParams`)
   * that are not parameters are skipped, whatever their value.
   */
  valuesOf(query: RawParams | undefined, pathParams: RawParams | undefined): RawValue[] | undefined {
    if (query) {
      for (const name of Object.keys(query)) {
        if (!this.queryIndex.has(name) && !this.ignored(name)) return undefined;
      }
    }
    const values: RawValue[] = new Array(this.params.length);
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      const bag = param.source === 'query' ? query : pathParams;
      const raw = bag && Object.hasOwn(bag, param.name) ? bag[param.name] : undefined;
      if (raw !== undefined && typeof raw !== 'string') return undefined;
      if (!this.allowed[i].has(raw)) return undefined;
      values[i] = raw;
    }
    return values;
  }

  /** The key a live request maps to, or undefined (see `valuesOf`). */
  keyOfRequest(query: RawParams | undefined, pathParams: RawParams | undefined): string | undefined {
    const values = this.valuesOf(query, pathParams);
    return values && this.keyOf(values);
  }
}
