import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { PrecomputeExplorer } from './discovery/precompute.explorer';
import { PrecomputeMetadataAccessor } from './discovery/precompute-metadata.accessor';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import { PrecomputeEngine } from './engine/precompute.engine';
import { RefreshScheduler } from './freshness/refresh.scheduler';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';
import { OBSERVABILITY_PROVIDERS } from './observability';
import { PrecomputeMetrics } from './observability/precompute-metrics';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './precompute.module-definition';
import { PRECOMPUTE_OPTIONS, resolveOptions, type ResolvedOptions } from './precompute.options';
import { PrecomputeLogger } from './precompute.logger';
import { PrecomputeOrchestrator } from './precompute.orchestrator';
import { PrecomputeService } from './precompute.service';
import { CachedResponses } from './serving/cached-responses';
import { EarlyHitMiddleware } from './serving/early-hit.middleware';
import { PrecomputeInterceptor } from './serving/precompute.interceptor';
import { JsonFileStore } from './storage/json-file/json-file.store';
import { PRECOMPUTE_STORE } from './storage/precompute-store.interface';

/**
 * Import once in the root module:
 * `PrecomputeModule.forRoot('cache.json')`, `forRoot({ cacheFile, ...options })`
 * or `forRootAsync({ useFactory, inject })`. It is global, so `@Precomputed()`
 * works in every feature module.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: PRECOMPUTE_OPTIONS,
      useFactory: (options: PrecomputeModuleOptions) => resolveOptions(options),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: PRECOMPUTE_STORE,
      useFactory: (options: ResolvedOptions) =>
        options.store ??
        new JsonFileStore({
          file: options.cacheFile as string,
          onInvalidFile: options.onInvalidFile,
          watch: options.watchFile,
          lockStaleMs: options.lockStaleMs,
        }),
      inject: [PRECOMPUTE_OPTIONS],
    },
    PrecomputeLogger,
    PrecomputeMetadataAccessor,
    PrecomputeExplorer,
    PrecomputeRegistry,
    PrecomputeEngine,
    RefreshScheduler,
    PrecomputeOrchestrator,
    PrecomputeService,
    CachedResponses,
    EarlyHitMiddleware,
    PrecomputeInterceptor,
    ...OBSERVABILITY_PROVIDERS,
  ],
  // The interceptor is created in the module of each decorated controller; it needs these
  exports: [PrecomputeService, PrecomputeRegistry, PrecomputeEngine, RefreshScheduler, PrecomputeLogger, CachedResponses, PRECOMPUTE_STORE, PRECOMPUTE_OPTIONS, PrecomputeMetrics],
})
export class PrecomputeModule extends ConfigurableModuleClass implements NestModule {
  constructor(
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly early: EarlyHitMiddleware,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    if (!this.options.earlyHits) return;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') {
      // A native hook: Fastify's middleware layer costs more than the early answer saves
      const fastify = adapter.getInstance<{ addHook(name: 'onRequest', hook: EarlyHitMiddleware['onRequest']): void }>();
      fastify.addHook('onRequest', (request, reply, done) => this.early.onRequest(request, reply, done));
    } else if (adapter?.getType() === 'express') {
      // Routes are registered after module middleware: a plain app.use() here still runs before them
      const express = adapter.getInstance<{ use(handler: EarlyHitMiddleware['use']): void }>();
      express.use((request, response, next) => this.early.use(request, response, next));
    } else {
      consumer.apply(EarlyHitMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
    }
  }

  /** `forRoot('cache.json')` is short for `forRoot({ cacheFile: 'cache.json' })`. */
  static override forRoot(options: string | typeof OPTIONS_TYPE): DynamicModule {
    return super.forRoot(typeof options === 'string' ? { cacheFile: options } : options);
  }
}
