import { ClassSerializerInterceptor, Module, ValidationPipe } from '@nestjs/common';
import { APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { PrecomputeModule } from '../lib';
import { InventoryModule } from './inventory/inventory.module';
import { SalesModule } from './sales/sales.module';
import { StoresModule } from './stores/stores.module';

@Module({
  imports: [
    PrecomputeModule.forRoot({
      cacheFile: process.env.CACHE_FILE ?? 'sales_report_cache.json',
      concurrency: Number(process.env.PRECOMPUTE_CONCURRENCY ?? 5),
    }),
    SalesModule,
    InventoryModule,
    StoresModule,
  ],
  providers: [
    { provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, forbidNonWhitelisted: true, whitelist: true }) },
    { provide: APP_INTERCEPTOR, useClass: ClassSerializerInterceptor },
  ],
})
export class AppModule {}
