import { Controller, Get, Param, ParseBoolPipe, ParseEnumPipe, Query } from '@nestjs/common';
import { Precomputed } from '../../lib';

export enum Warehouse {
  Hamburg = 'hamburg',
  Lyon = 'lyon',
  Osaka = 'osaka',
}

export enum Category {
  Food = 'food',
  Home = 'home',
  Toys = 'toys',
}

/** Named parameters with pipes: 3 warehouses × 3 categories × (in stock only: yes, no, absent) = 27 combinations. */
@Controller('inventory')
export class InventoryController {
  @Get(':warehouse/stock')
  @Precomputed({ ttlSeconds: 3600, cacheControl: true })
  async stock(
    @Param('warehouse', new ParseEnumPipe(Warehouse)) warehouse: Warehouse,
    @Query('category', new ParseEnumPipe(Category)) category: Category,
    @Query('inStockOnly', new ParseBoolPipe({ optional: true })) inStockOnly?: boolean,
  ) {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.INVENTORY_DELAY_MS ?? 200)));
    const items = warehouse.length * 10 + category.length;
    return { warehouse, category, inStockOnly: inStockOnly ?? false, items: inStockOnly ? Math.floor(items / 2) : items };
  }
}
