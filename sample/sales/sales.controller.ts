import { Controller, Get, Query } from '@nestjs/common';
import { Precomputed } from '../../lib';
import { SalesReportQuery } from './sales-report.query';
import { SalesReport } from './sales-report.response';
import { SalesService } from './sales.service';

@Controller('sales-report')
export class SalesController {
  constructor(private readonly sales: SalesService) {}

  /** 3 subregions × 5 stores = 15 combinations, computed at startup and served from the cache. */
  @Get()
  @Precomputed()
  getSalesReport(@Query() query: SalesReportQuery): Promise<SalesReport> {
    return this.sales.report(query.subregion, query.store_id);
  }
}
