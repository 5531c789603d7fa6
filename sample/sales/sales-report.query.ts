import { IsEnum } from 'class-validator';

export enum Subregion {
  EMEA = 'EMEA',
  APAC = 'APAC',
  AMER = 'AMER',
}

export enum StoreId {
  STORE_101 = '101',
  STORE_202 = '202',
  STORE_303 = '303',
  STORE_404 = '404',
  ONLINE = 'ONLINE',
}

/** The query of GET /sales-report: both parameters come from closed sets. */
export class SalesReportQuery {
  @IsEnum(Subregion)
  subregion!: Subregion;

  @IsEnum(StoreId)
  store_id!: StoreId;
}
