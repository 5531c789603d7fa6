import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsString, Max, Min } from 'class-validator';
import { Subregion } from '../sales/sales-report.query';

/** GET /stores/by-subregion: only the pairs that exist come from StoresService.pairs(). */
export class StoreInSubregionQuery {
  @IsEnum(Subregion)
  subregion!: Subregion;

  @IsString()
  store_id!: string;
}

/** GET /stores/monthly-target: 1..12, inferred from @IsInt @Min @Max; no params needed. */
export class MonthQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  month!: number;
}
