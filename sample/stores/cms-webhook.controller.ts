import { Body, Controller, Injectable, Post, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { IsEnum, IsInt, IsString } from 'class-validator';
import { PrecomputeService } from '../../lib';
import { Subregion } from '../sales/sales-report.query';
import { StoresController } from './stores.controller';
import { StoresService } from './stores.service';

/** Lets only the CMS in: a shared secret in a header (put your real authentication here). */
@Injectable()
export class CmsSecretGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const secret = process.env.CMS_WEBHOOK_SECRET;
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
    return secret !== undefined && headers['x-cms-secret'] === secret;
  }
}

export class StoreChanged {
  @IsString()
  id!: string;

  @IsEnum(Subregion)
  subregion!: Subregion;

  @IsInt()
  revenue!: number;
}

/**
 * On-demand refresh: the CMS calls this when a store's figures change, and
 * the cached answers of that store are recomputed now (the old ones are
 * served until the new ones are stored).
 */
@Controller('webhooks/cms')
@UseGuards(CmsSecretGuard)
export class CmsWebhookController {
  constructor(
    private readonly stores: StoresService,
    private readonly precompute: PrecomputeService,
  ) {}

  @Post('store-changed')
  async storeChanged(@Body() change: StoreChanged) {
    this.stores.save(change);
    const summary = await this.precompute.refresh({ controller: StoresController, method: 'summary', params: { store_id: change.id } });
    return { computed: summary.computed, failed: summary.failed };
  }
}
