import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller';

/** A feature module: it does not import PrecomputeModule; the root module's import is global. */
@Module({ controllers: [InventoryController] })
export class InventoryModule {}
