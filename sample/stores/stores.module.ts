import { Module } from '@nestjs/common';
import { CmsWebhookController } from './cms-webhook.controller';
import { StoresController } from './stores.controller';
import { StoresService } from './stores.service';

/** Domains from data: stores that open and close while the app runs. */
@Module({ controllers: [StoresController, CmsWebhookController], providers: [StoresService] })
export class StoresModule {}
