import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { PrecomputeExplorer } from './discovery/precompute.explorer';
import { PrecomputeMetadataAccessor } from './discovery/precompute-metadata.accessor';
import { PrecomputeRegistry } from './discovery/precompute.registry';
import { CombinationRunner, Computations } from './engine/combination-runner';
import { HandlerPlans } from './engine/handler-plans';
import { HandlerStats } from './engine/handler-stats';
import { LiveResults } from './engine/live-results';
import { PrecomputeEngine } from './engine/precompute.engine';
import { FreshnessPolicy } from './freshness/freshness-policy';
import { RefreshQueue } from './freshness/refresh-queue';
import { RefreshScheduler } from './freshness/refresh.scheduler';
import { CronRefreshScheduler } from './freshness/cron-refresh.scheduler';
import { DomainRefresh } from './freshness/domain-refresh';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';
import { OBSERVABILITY_PROVIDERS } from './observability';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './precompute.module-definition';
import { environmentOverrides } from './precompute.environment';
import { PRECOMPUTE_OPTIONS, resolveOptions, type ResolvedOptions } from './precompute.options';
import { PrecomputeLogger } from './precompute.logger';
import { PrecomputeOrchestrator } from './precompute.orchestrator';
import { PrecomputeService } from './precompute.service';
import { CachedResponses } from './serving/cached-responses';
import { EarlyHitMiddleware } from './serving/early-hit.middleware';
import { mountEarly } from './serving/express-early-mount';
import { appendEarlyHook, type FastifyHook, type FastifyRouteOptions } from './serving/fastify-early-hook';
import { MiddlewareRecorder } from './serving/middleware-recorder';
import { PrecomputeServing } from './serving/precompute-serving';
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
      // The environment is a layer of its own over the options given in code (see the README)
      useFactory: (options: PrecomputeModuleOptions) => resolveOptions(options, environmentOverrides(process.env)),
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
    {
      provide: FreshnessPolicy,
      useFactory: (options: ResolvedOptions) => new FreshnessPolicy(options.ttlSeconds),
      inject: [PRECOMPUTE_OPTIONS],
    },
    PrecomputeLogger,
    PrecomputeMetadataAccessor,
    PrecomputeExplorer,
    PrecomputeRegistry,
    HandlerPlans,
    HandlerStats,
    Computations,
    CombinationRunner,
    PrecomputeEngine,
    RefreshQueue,
    RefreshScheduler,
    DomainRefresh,
    CronRefreshScheduler,
    LiveResults,
    PrecomputeOrchestrator,
    PrecomputeService,
    CachedResponses,
    PrecomputeServing,
    EarlyHitMiddleware,
    ...OBSERVABILITY_PROVIDERS,
    MiddlewareRecorder,
  ],
  // Only what users inject. The interceptor, created in each decorated controller's module, finds PrecomputeServing through ModuleRef
  exports: [PrecomputeService],
})
export class PrecomputeModule extends ConfigurableModuleClass implements NestModule {
  constructor(
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly early: EarlyHitMiddleware,
    private readonly recorder: MiddlewareRecorder,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    if (!this.options.earlyHits) return;
    const adapter = this.adapterHost.httpAdapter;
    // Every module's configure() runs before Nest mounts any of their middleware: the recorder sees all of it
    if (adapter) this.recorder.install(adapter);
    if (adapter?.getType() === 'fastify') {
      // A native hook, as late as Fastify allows: after every hook the app added (see fastify-early-hook.ts)
      const fastify = adapter.getInstance<{ addHook(name: 'onRoute', hook: (route: FastifyRouteOptions) => void): void }>();
      const early = this.early;
      const hook = function precomputeEarlyHits(...args: Parameters<EarlyHitMiddleware['preHandler']>) {
        early.preHandler(...args);
      } as FastifyHook;
      fastify.addHook('onRoute', (route) => appendEarlyHook(route, hook));
    } else if (adapter?.getType() === 'express') {
      // Routes are registered after module middleware: a plain app.use() here still runs before them, and before Nest's body parsers
      const early = this.early;
      // Named: the layer is found by this name in Express's stack (and in a debugger)
      mountEarly(adapter.getInstance(), function precomputeEarlyHits(...args: Parameters<EarlyHitMiddleware['use']>) {
        early.use(...args);
      });
    } else {
      consumer.apply(EarlyHitMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
    }
  }

  /** `forRoot('cache.json')` is short for `forRoot({ cacheFile: 'cache.json' })`. */
  static override forRoot(options: string | typeof OPTIONS_TYPE): DynamicModule {
    return super.forRoot(typeof options === 'string' ? { cacheFile: options } : options);
  }
}
