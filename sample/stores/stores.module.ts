import { Module } from '@nestjs/common';
import { KnownStorePipe } from './known-store.pipe';
import { CmsWebhookController } from './cms-webhook.controller';
import { StoresController } from './stores.controller';
import { StoresService } from './stores.service';

/** Domains from data: stores that open and close while the app runs. */
@Module({ controllers: [StoresController, CmsWebhookController], providers: [StoresService, KnownStorePipe] })
export class StoresModule {}
