import { Injectable, Logger } from '@nestjs/common';
import { StoreId, type Subregion } from './sales-report.query';
import { SalesReport } from './sales-report.response';

/** Stands in for slow, data-heavy database queries. */
@Injectable()
export class SalesService {
  private readonly logger = new Logger(SalesService.name);
  private readonly delayMs = Number(process.env.SALES_DELAY_MS ?? 2000);

  async report(subregion: Subregion, storeId: StoreId): Promise<SalesReport> {
    this.logger.log(`Running the slow query for ${subregion}/${storeId}`);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const revenue = storeId === StoreId.ONLINE ? subregion.length * 5000 : Number(storeId) * 1000;
    return new SalesReport({ subregion, store_id: storeId, data: { revenue }, queryCost: this.delayMs });
  }
}
