import type { NestInterceptor, PipeTransform, Type } from '@nestjs/common';
import type { ArgumentSpec } from '../domains/parameter-domains';
import type { PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import type { CacheKeyBuilder } from '../keys/cache-key';

/** Everything known about one `@Precomputed()` handler once discovery is done. */
export interface PrecomputedHandler {
  /** `Controller.method`, for logs and messages. */
  readonly name: string;
  readonly controller: Type;
  readonly methodName: string;
  /** The method on the prototype: what `ExecutionContext.getHandler()` returns. */
  readonly handler: Function;
  readonly instance: object;
  readonly options: PrecomputedOptions;
  readonly keys: CacheKeyBuilder;
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
   * the handler has guards, other interceptors, a host, versioning, or a
   * response override that only Nest's pipeline applies.
   */
  readonly early?: { readonly status: number; readonly headers: ReadonlyArray<[string, string]> };
  readonly total: number;
}
