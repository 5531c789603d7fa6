import { Exclude } from 'class-transformer';
import type { StoreId, Subregion } from './sales-report.query';

export class SalesReport {
  subregion!: Subregion;
  store_id!: StoreId;
  data!: { revenue: number };

  /** Internal; the global ClassSerializerInterceptor keeps it out of responses and of the cache file. */
  @Exclude()
  queryCost!: number;

  constructor(fields: SalesReport) {
    Object.assign(this, fields);
  }
}
