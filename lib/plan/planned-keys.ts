import type { RawValue } from '../domains/domain-values';
import { allowedValues, CacheKeyBuilder, type RawParams, type RouteTemplate } from '../keys/cache-key';
import { IGNORE_NOTHING, type IgnoredQueryParam } from '../keys/query-ignore';
import type { ParameterSpec } from '../domains/domain-values';
import { combinations, countCombinations } from './combinations';

export interface PlanShape {
  /** The exact combinations (`@Precomputed({ combinations })`), aligned with the params. */
  readonly list?: ReadonlyArray<readonly RawValue[]>;
  /**
   * Positions of parameters whose values are unknown because their domain
   * function failed: requests are then answered only from what is stored.
   */
  readonly unknown?: readonly number[];
  /** Whether the store holds a key (read when a request arrives, so the store may open later). */
  readonly isStored?: (key: string) => boolean;
}

/**
 * The key builder of a handler whose combinations are not simply the product
 * of its domains. With an exact list, a request is a combination only if the
 * list holds it (each value being in some combination is not enough). With an
 * unknown domain (its function failed), a request is a combination only if
 * the store already holds it: previous entries keep being served, and nothing
 * else counts as in the domain (so no live result is stored for an arbitrary value).
 */
export class PlannedKeys extends CacheKeyBuilder {
  private readonly listed?: ReadonlySet<string>;
  private readonly unknown: ReadonlySet<number>;
  private readonly queryNames: ReadonlySet<string>;
  private readonly allowedValues: ReadonlyArray<ReadonlySet<RawValue>>;
  readonly total: number;

  constructor(
    route: RouteTemplate,
    params: readonly ParameterSpec[],
    private readonly shape: PlanShape = {},
    private readonly ignoredQuery: IgnoredQueryParam = IGNORE_NOTHING,
  ) {
    super(route, params, ignoredQuery);
    this.unknown = new Set(shape.unknown ?? []);
    this.listed = shape.list && new Set(shape.list.map((values) => this.keyOf(values)));
    this.queryNames = new Set(params.filter((param) => param.source === 'query').map((param) => param.name));
    this.allowedValues = params.map(allowedValues);
    this.total = this.unknown.size ? 0 : (shape.list?.length ?? countCombinations(params));
  }

  /** The same plan at another of the handler's routes (a version, a RouterModule path), with its ignored query keys. */
  atRoute(route: RouteTemplate, ignored: IgnoredQueryParam): PlannedKeys {
    return new PlannedKeys(route, this.params, this.shape, ignored);
  }

  /** Whether the domain could not be read (a domain function failed). */
  get isUnknown(): boolean {
    return this.unknown.size > 0;
  }

  /** The combinations to compute: the exact list, the product of the domains, or none while the domain is unknown. */
  *planned(): Iterable<readonly RawValue[]> {
    if (this.unknown.size) return;
    if (this.shape.list) yield* this.shape.list;
    else yield* combinations(this.params);
  }

  override valuesOf(query: RawParams | undefined, pathParams: RawParams | undefined): RawValue[] | undefined {
    if (this.unknown.size) return this.storedValuesOf(query, pathParams);
    const values = super.valuesOf(query, pathParams);
    if (!values || !this.listed) return values;
    return this.listed.has(this.keyOf(values)) ? values : undefined;
  }

  private storedValuesOf(query: RawParams | undefined, pathParams: RawParams | undefined): RawValue[] | undefined {
    if (query && Object.keys(query).some((name) => !this.queryNames.has(name) && !this.ignoredQuery(name))) return undefined;
    const values: RawValue[] = [];
    for (const [i, param] of this.params.entries()) {
      const bag = param.source === 'query' ? query : pathParams;
      const raw = bag && Object.hasOwn(bag, param.name) ? bag[param.name] : undefined;
      if (raw !== undefined && typeof raw !== 'string') return undefined;
      const ok = this.unknown.has(i) ? param.source === 'query' || (raw !== undefined && raw !== '') : this.allowedValues[i].has(raw);
      if (!ok) return undefined;
      values.push(raw);
    }
    return this.shape.isStored?.(this.keyOf(values)) ? values : undefined;
  }
}
