import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { Precomputed } from '../../lib';
import { KnownStorePipe } from './known-store.pipe';
import { MonthQuery, StoreInSubregionQuery } from './stores.queries';
import { StoresService } from './stores.service';

/** Domains that live in data, next to the enum-based SalesController. */
@Controller('stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  /** One combination per store, read from StoresService at startup (and on refresh). A closed store is a 404 (KnownStorePipe). */
  @Get(':store_id/summary')
  @Precomputed({ params: { store_id: (ref) => ref.get(StoresService, { strict: false }).ids() } })
  summary(@Param('store_id', KnownStorePipe) id: string) {
    const store = this.stores.get(id);
    return { store: store.id, subregion: store.subregion, revenue: store.revenue };
  }

  /** Exactly the (subregion, store) pairs that exist: 4 combinations, not 3 subregions × 4 stores. */
  @Get('by-subregion')
  // Recomputed every night at 02:00 (Paris), reading the pairs again first
  @Precomputed({ combinations: (ref) => ref.get(StoresService, { strict: false }).pairs(), refreshCron: '0 2 * * *', refreshTimeZone: 'Europe/Paris' })
  bySubregion(@Query() query: StoreInSubregionQuery) {
    const store = this.stores.get(query.store_id);
    // A pair that is not listed runs live: the handler decides
    if (store.subregion !== query.subregion) throw new NotFoundException(`Store "${store.id}" is not in ${query.subregion}`);
    return { subregion: query.subregion, store: store.id, share: store.revenue / 1000 };
  }

  /** 12 combinations, from @IsInt() @Min(1) @Max(12). */
  @Get('monthly-target')
  @Precomputed()
  async monthlyTarget(@Query() query: MonthQuery) {
    const stores = await this.stores.ids();
    return { month: query.month, target: stores.length * 10_000 * (query.month <= 6 ? 1 : 1.2) };
  }
}
