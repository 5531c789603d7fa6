import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { PrecomputedOptions } from '../interfaces/precomputed-options.interface';
import { PRECOMPUTED_METADATA } from '../precompute.constants';
import { PrecomputeInterceptor } from '../serving/precompute.interceptor';

/**
 * Marks a GET handler whose parameters take discrete values: every combination
 * is computed at startup, persisted, and served without calling the handler.
 *
 * @example
 * ```ts
 * @Get('sales-report')
 * @Precomputed()
 * getSalesReport(@Query() query: SalesReportQuery) { ... }
 * ```
 */
export function Precomputed(options: PrecomputedOptions = {}): MethodDecorator {
  return applyDecorators(SetMetadata(PRECOMPUTED_METADATA, options), UseInterceptors(PrecomputeInterceptor));
}
