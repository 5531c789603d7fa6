import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import { PRECOMPUTED_METADATA } from '../precompute.constants';
import { PrecomputeInterceptor } from '../serving/precompute.interceptor';

/**
 * Marks a GET handler whose parameters take discrete values: every combination
 * is computed at startup, persisted, and served without calling the handler.
 *
 * Domains are inferred (enums, `@IsIn`, booleans, small `@IsInt() @Min() @Max()`
 * ranges, `ParseEnumPipe`, `ParseBoolPipe`), listed with `params`, or read
 * from data with a function in `params` or with `combinations`.
 *
 * @example
 * ```ts
 * @Get('sales-report')
 * @Precomputed()
 * getSalesReport(@Query() query: SalesReportQuery) { ... }
 *
 * @Get('stores/:store_id/summary')
 * @Precomputed({ params: { store_id: (ref) => ref.get(StoresService, { strict: false }).ids() } })
 * summary(@Param('store_id') id: string) { ... }
 * ```
 */
export function Precomputed(options: PrecomputedOptions = {}): MethodDecorator {
  return applyDecorators(SetMetadata(PRECOMPUTED_METADATA, options), UseInterceptors(PrecomputeInterceptor));
}
