import type { IgnoredQueryParam } from '../keys/query-ignore';
import type { RouteTemplate } from '../keys/cache-key';
import type { DomainContext, DomainTarget, ResolvedHandlerDomains } from './resolve-handler-domains';
import type { PlannedKeys } from './planned-keys';

/** What re-evaluates a handler's domains: shared by every route of one handler, so its functions run once per refresh. */
export interface DomainSource {
  readonly target: DomainTarget;
  readonly context: DomainContext;
  /** The handler's domain depends on data (a domain function or `combinations`): worth re-evaluating. */
  readonly dynamic: boolean;
}

/**
 * The current plan of one handler on one of its routes: its keys and the
 * failure of the last evaluation of its domains, if any. The one mutable part
 * of a PrecomputedHandler (whose fields stay readonly): a refresh that reads the
 * data again swaps the plan here, so the registry, the early matcher and the
 * interceptor, which all hold the handler, see the new keys at once.
 */
export class HandlerPlan {
  private current: PlannedKeys;
  private lastFailure?: string;

  constructor(
    readonly source: DomainSource,
    private readonly route: RouteTemplate,
    private readonly ignored: IgnoredQueryParam,
    resolved: Pick<ResolvedHandlerDomains, 'keys' | 'failure'>,
  ) {
    this.current = resolved.keys.atRoute(route, ignored);
    this.lastFailure = resolved.failure;
  }

  get keys(): PlannedKeys {
    return this.current;
  }

  get total(): number {
    return this.current.total;
  }

  /** Why the last evaluation of the domains failed (the previous keys are kept), or undefined. */
  get failure(): string | undefined {
    return this.lastFailure;
  }

  /** A new evaluation of the domains succeeded: its keys (built for the handler's first route) replace the current ones here. */
  use(keys: PlannedKeys): void {
    this.lastFailure = undefined;
    this.current = keys.atRoute(this.route, this.ignored);
  }

  /** A new evaluation failed: the current keys stay (their entries keep being served). */
  fail(failure: string): void {
    this.lastFailure = failure;
  }
}
