import { ForbiddenException, HttpException, Inject, Injectable, type CanActivate, type OnModuleInit, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { lastValueFrom, isObservable } from 'rxjs';
import { PrecomputeRegistry } from '../discovery/precompute.registry';
import { PrecomputeLogger } from '../precompute.logger';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { PrecomputeService } from '../precompute.service';
import { PRECOMPUTE_STORE, type PrecomputeStore } from '../storage/precompute-store.interface';
import { HttpExecutionContext } from './http-execution-context';
import type { StatusPageOptions } from './status-page-options';
import { renderStatusPage } from './status-page.view';
import { buildReport, type PrecomputeReport } from './status-report';

type Handler = (request: unknown, response: unknown) => Promise<void>;
interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * `statusPage`: serves the page (GET `<path>`, `?format=json`) and, with
 * `refreshButton`, its refresh action (POST `<path>/refresh?handler=...`), as
 * routes of the HTTP adapter, each behind the guard. Registered after Nest's
 * routes and middleware, before its 404 handler.
 */
@Injectable()
export class StatusPageRoutes implements OnModuleInit {
  private startup: PrecomputeReport['startup'];
  private guard?: CanActivate;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly service: PrecomputeService,
    private readonly registry: PrecomputeRegistry,
    private readonly logger: PrecomputeLogger,
    @Inject(PRECOMPUTE_STORE) private readonly store: PrecomputeStore,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {
    this.startup = { mode: options.startup, state: 'running' };
    service.whenReady().then(
      () => (this.startup = { mode: options.startup, state: 'ready' }),
      (error: Error) => (this.startup = { mode: options.startup, state: 'failed', error: error.message }),
    );
  }

  async onModuleInit(): Promise<void> {
    const page = this.options.statusPage;
    const adapter = this.adapterHost.httpAdapter;
    if (!page || !adapter) return;
    this.guard = await this.resolveGuard(page.guard);
    adapter.get(page.path, this.guarded(this.page.bind(this), page));
    if (page.refreshButton) adapter.post(`${page.path}/refresh`, this.guarded(this.refresh.bind(this), page));
    this.logger.log(`Status page at ${page.path}${page.guard ? '' : ' without a guard (NODE_ENV=development)'}`);
  }

  /** The report the page shows, as `?format=json` returns it. */
  report(): PrecomputeReport {
    return buildReport(this.service.status(), this.startup, this.store.describe());
  }

  private async page(request: unknown, response: unknown, page: StatusPageOptions): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    const url = new URL(String(adapter.getRequestUrl(request)), 'http://localhost');
    const report = this.report();
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    if (url.searchParams.get('format') === 'json') {
      adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
      adapter.reply(response, JSON.stringify(report), 200);
      return;
    }
    adapter.setHeader(response, 'Content-Type', 'text/html; charset=utf-8');
    // Nothing but inline styles and a same-origin form: no script, no external asset, no framing
    adapter.setHeader(response, 'Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    const view = { path: page.path, refreshButton: page.refreshButton === true, autoRefreshSeconds: page.autoRefreshSeconds ?? 5 };
    adapter.reply(response, renderStatusPage(report, view), 200);
  }

  private async refresh(request: unknown, response: unknown, page: StatusPageOptions): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    const headers = (request as RequestLike).headers;
    // A form on another site must not make a signed-in operator's browser refresh
    const site = headers['sec-fetch-site'];
    const origin = headers.origin;
    if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (typeof origin === 'string' && new URL(origin).host !== headers.host)) {
      throw new ForbiddenException('Cross-site refresh refused');
    }
    const name = new URL(String(adapter.getRequestUrl(request)), 'http://localhost').searchParams.get('handler');
    const handler = this.registry.all().find((candidate) => candidate.name === name);
    if (!handler) throw new HttpException(`No @Precomputed() handler named ${JSON.stringify(name)}`, 404);
    this.service.refresh({ controller: handler.controller, method: handler.methodName }).catch((error: Error) => {
      this.logger.error(`Refresh of ${handler.name} from the status page failed: ${error.message}`);
    });
    adapter.redirect(response, 303, page.path);
  }

  private guarded(serve: (request: unknown, response: unknown, page: StatusPageOptions) => Promise<void>, page: StatusPageOptions): Handler {
    const adapter = this.adapterHost.httpAdapter;
    const route = async (request: unknown, response: unknown) => {
      try {
        if (this.guard) {
          const context = new HttpExecutionContext(request, response, route, StatusPageRoutes);
          const allowed = this.guard.canActivate(context);
          const result = isObservable(allowed) ? await lastValueFrom(allowed) : await allowed;
          if (!result) throw new ForbiddenException();
        }
        await serve(request, response, page);
      } catch (error) {
        // Answered as Nest's exception filter would: the page is not behind it
        const http = error instanceof HttpException ? error : undefined;
        if (!http) this.logger.error(`Status page: ${(error as Error).message}`);
        const status = http?.getStatus() ?? 500;
        const body = http?.getResponse() ?? { statusCode: 500, message: 'Internal server error' };
        adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
        adapter.reply(response, JSON.stringify(typeof body === 'string' ? { statusCode: status, message: body } : body), status);
      }
    };
    return route;
  }

  private async resolveGuard(guard: StatusPageOptions['guard']): Promise<CanActivate | undefined> {
    if (guard === undefined || typeof guard !== 'function') return guard;
    const type = guard as Type<CanActivate>;
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }
}
