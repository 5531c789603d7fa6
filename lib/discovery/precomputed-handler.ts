import type { NestInterceptor, PipeTransform, Type } from '@nestjs/common';
import type { ArgumentSpec } from '../domains/parameter-domains';
import type { PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import type { CacheKeyBuilder } from '../keys/cache-key';
import type { PathTemplate } from '../keys/path-template';
import type { HandlerPlan } from '../plan/handler-plan';
import type { ServingPath } from '../serving/serving-path';
import type { RouteVersion } from '../keys/route-version';

/** The one route (path and version) a PrecomputedHandler stands for. */
export interface PrecomputedRoute {
  /** The path as Nest registered it, e.g. `/api/v2/stores/:store`. */
  readonly template: PathTemplate;
  readonly version: RouteVersion;
  /** Registered without a version filter (unversioned, or a lone VERSION_NEUTRAL). */
  readonly unconstrained: boolean;
}

/**
 * Everything known about one `@Precomputed()` handler on one of its routes once
 * discovery is done. A handler Nest registers at several paths or versions
 * (`@Version(['1', '2'])`, URI versions, several paths) has one of these per
 * route, each with keys of its own.
 */
export interface PrecomputedHandler {
  /** `Controller.method` (followed by its route when it has several), for logs and messages. */
  readonly name: string;
  readonly controller: Type;
  readonly methodName: string;
  /** The method on the prototype: what `ExecutionContext.getHandler()` returns. */
  readonly handler: Function;
  readonly instance: object;
  readonly options: PrecomputedOptions;
  /** The current keys (`plan.keys`): replaced when a refresh reads the handler's data domains again. */
  readonly keys: CacheKeyBuilder;
  readonly route: PrecomputedRoute;
  readonly args: readonly ArgumentSpec[];
  /** Global, controller and handler pipes, in the order Nest applies them. */
  readonly pipes: readonly PipeTransform[];
  /** ClassSerializerInterceptors that apply, innermost first. */
  readonly serializers: readonly NestInterceptor[];
  /** True when no interceptor other than serializers wraps the handler: hits can send prebuilt JSON. */
  readonly sendsPrebuiltBody: boolean;
  /** True when exception filters apply (global, controller, handler): a 4xx answer is then theirs to shape, so it is not stored. */
  readonly filtered: boolean;
  /**
   * How to answer a hit before Nest's router (`earlyHits`), or undefined when
   * hits go through Nest's pipeline to the interceptor (`serving.reason` says why).
   */
  readonly early?: { readonly status: number; readonly headers: ReadonlyArray<[string, string]> };
  /** Which path serves a hit of this route and, when it is not the early one, why (startup log, status page). */
  readonly serving: ServingPath;
  /** The number of combinations of the current plan (`plan.total`). */
  readonly total: number;
  /** The handler's current plan on this route, and what re-evaluates its domains. */
  readonly plan: HandlerPlan;
}
