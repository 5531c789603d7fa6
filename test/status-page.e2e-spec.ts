import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, NotFoundException, Query, UseGuards, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { Precomputed, PrecomputeService } from '../lib';
import { eventually, launchChromium, testOutput } from './helpers/browser';
import { ADAPTERS, createTestApp, type AdapterName } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

/** Lets handler calls finish one permit at a time, so a test can look at a run half done. */
class Permits {
  private available = 0;
  private waiting: Array<() => void> = [];
  give(count: number): void {
    this.available += count;
    while (this.available > 0 && this.waiting.length) {
      this.available--;
      (this.waiting.shift() as () => void)();
    }
  }
  take(): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
let permits = new Permits();

@Controller('sales')
class SalesController {
  @Get()
  @Precomputed({ params: { region: ['EMEA', 'APAC', 'AMER'], period: ['day', 'week'] } })
  async get(@Query('region') region: string, @Query('period') period: string) {
    await permits.take();
    if (region === 'AMER' && period === 'week') throw new Error('the AMER weekly feed is late');
    // An answer, not a failure: stored and served as the 404 it is
    if (region === 'APAC' && period === 'week') throw new NotFoundException('APAC publishes no weekly figures');
    return { region, period, revenue: region.length * (period === 'day' ? 1 : 7) };
  }
}

@Injectable()
class AllowAll implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller('payroll')
@UseGuards(AllowAll)
class PayrollController {
  @Get()
  @Precomputed({ params: { team: ['ops', 'dev'] } })
  get(@Query('team') team: string) {
    return { team, total: team.length };
  }
}

/** The page's guard: an operator token in a header. */
@Injectable()
class OpsTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers['x-ops-token'] === 'let-me-in';
  }
}

const PATH = '/_precompute';
const TOKEN = { 'x-ops-token': 'let-me-in' };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const text = async (page: Page, handler: string, field: string) =>
  ((await page.locator(`[data-handler="${handler}"] [data-field="${field}"]`).textContent()) ?? '').trim();

describe.each(ADAPTERS)('the status page in Chromium (%s)', (adapter: AdapterName) => {
  const dir = tempDir();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    permits = new Permits();
    app = await createTestApp({
      adapter,
      precompute: {
        cacheFile: dir.file('cache.json'),
        startup: 'background',
        concurrency: 1,
        earlyHits: true,
        progress: false,
        statusPage: { path: PATH, guard: OpsTokenGuard, refreshButton: true, autoRefreshSeconds: 0 },
      },
      controllers: [SalesController, PayrollController],
      providers: [OpsTokenGuard, AllowAll],
    });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    permits.give(100);
    await app?.close();
    dir.cleanup();
  });

  it('shows a run under way, then the figures after it, and refreshes through the guarded button', async () => {
    const service = app.get(PrecomputeService);
    const sales = () => service.status().find((handler) => handler.handler === 'SalesController.get');
    permits.give(2);
    await eventually(() => (sales()?.cached === 2 ? true : undefined), 'two sales combinations computed', () => JSON.stringify(sales()));

    const context = await browser.newContext({ extraHTTPHeaders: TOKEN, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const during = await page.goto(`${base}${PATH}`);
    expect(during?.status()).toBe(200);
    expect(await page.locator('[data-field="state"]').textContent()).toBe('Startup run in progress');
    expect(await text(page, 'SalesController.get', 'coverage')).toBe('2 / 6 cached');
    expect(await text(page, 'SalesController.get', 'progress')).toMatch(/^Computing: 2 of 6 \(33%\), 1 under way/);
    expect(await text(page, 'PayrollController.get', 'coverage')).toBe('0 / 2 cached');
    await page.screenshot({ path: testOutput(`status-page-during-run-${adapter}.png`), fullPage: true });

    permits.give(100);
    await service.whenReady();
    const server = app.getHttpServer();
    for (let i = 0; i < 3; i++) await request(server).get('/sales?region=EMEA&period=day').expect(200);
    const etag = (await request(server).get('/payroll?team=ops').expect(200)).headers.etag as string;
    await request(server).get('/payroll?team=ops').set('If-None-Match', etag).expect(304);
    await request(server).get('/sales?region=AMER&period=week').expect(500);
    await request(server).get('/sales?region=APAC&period=week').expect(404);

    await page.reload();
    expect(await page.locator('[data-field="state"]').textContent()).toBe('Ready');
    expect(await page.locator('[data-field="total-coverage"]').textContent()).toBe('7 / 8');
    expect(await text(page, 'SalesController.get', 'coverage')).toBe('5 / 6 cached');
    expect(await text(page, 'SalesController.get', 'answered')).toBe('of which 1 answered 404');
    expect(await text(page, 'SalesController.get', 'early-hits')).toBe('4');
    expect(await text(page, 'SalesController.get', 'by-status')).toBe('Hits by status: 200 × 3 · 404 × 1');
    expect(await text(page, 'SalesController.get', 'live')).toBe('1');
    expect(await text(page, 'SalesController.get', 'failing')).toBe('1');
    expect(await text(page, 'SalesController.get', 'failures')).toContain('GET /sales?period=week&region=AMERError: the AMER weekly feed is late');
    expect(await text(page, 'SalesController.get', 'serving-path')).toBe('early path');
    expect(await text(page, 'PayrollController.get', 'coverage')).toBe('2 / 2 cached');
    expect(await text(page, 'PayrollController.get', 'hits')).toBe('1');
    expect(await text(page, 'PayrollController.get', 'not-modified')).toBe('1');
    expect(await text(page, 'PayrollController.get', 'by-status')).toBe('Hits by status: 200 × 1 · 304 × 1');
    expect(await text(page, 'PayrollController.get', 'serving-path')).toBe('interceptor');
    expect(await text(page, 'PayrollController.get', 'serving-why')).toBe(
      "Served by the interceptor: 1 guard(s) must run",
    );
    expect(await text(page, 'PayrollController.get', 'last-refresh')).toBe('none yet');
    expect(await text(page, 'PayrollController.get', 'next-refresh')).toBe('none (no TTL)');
    // Nothing but the page itself was loaded
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    await page.reload();
    expect(loaded).toEqual([`${base}${PATH}`]);
    await page.screenshot({ path: testOutput(`status-page-after-run-${adapter}.png`), fullPage: true });

    // The refresh button: a POST behind the same guard, then back to the page
    await page.locator('[data-handler="PayrollController.get"] button').click();
    await page.waitForURL(`${base}${PATH}`);
    const payroll = () => service.status().find((handler) => handler.handler === 'PayrollController.get');
    await eventually(() => payroll()?.lastRefresh, 'the refresh of PayrollController.get', () => JSON.stringify(payroll()));
    await page.reload();
    expect(await text(page, 'PayrollController.get', 'last-refresh')).toMatch(/^(just now|\d+s ago) \(on demand: 2 computed, 0 failed, \d+ms\)$/);
    await page.screenshot({ path: testOutput(`status-page-after-refresh-${adapter}.png`), fullPage: true });
    // The README's picture: PRECOMPUTE_DOCS_SCREENSHOT=1 npm test -- test/status-page.e2e-spec.ts
    if (adapter === 'express' && process.env.PRECOMPUTE_DOCS_SCREENSHOT === '1') {
      mkdirSync('docs', { recursive: true });
      copyFileSync(testOutput(`status-page-after-refresh-${adapter}.png`), 'docs/status-page.png');
    }
    await context.close();
  });

  it('answers 403 without the guard\'s consent, to the browser and to a cross-site POST', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const denied = await page.goto(`${base}${PATH}`);
    expect(denied?.status()).toBe(403);
    expect(await denied?.json()).toMatchObject({ statusCode: 403 });
    await context.close();
    const server = app.getHttpServer();
    await request(server).get(`${PATH}?format=json`).expect(403);
    await request(server).post(`${PATH}/refresh?handler=PayrollController.get`).expect(403);
    await request(server).post(`${PATH}/refresh?handler=PayrollController.get`).set(TOKEN).set('Sec-Fetch-Site', 'cross-site').expect(403);
    await request(server).post(`${PATH}/refresh?handler=PayrollController.get`).set(TOKEN).set('Origin', 'http://evil.example').expect(403);
    await request(server).post(`${PATH}/refresh?handler=Nope.get`).set(TOKEN).expect(404);
  });

  it('serves the same figures as JSON', async () => {
    const response = await request(app.getHttpServer()).get(`${PATH}?format=json`).set(TOKEN).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({
      startup: { mode: 'background', state: 'ready' },
      store: expect.stringContaining('cache.json'),
      totals: { handlers: 2, total: 8, cached: 7, failing: 1 },
    });
    expect(response.body.handlers).toEqual(JSON.parse(JSON.stringify(app.get(PrecomputeService).status())));
  });
});

describe('a status page without a guard', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('refuses to start outside NODE_ENV=development, and is served unguarded in development', async () => {
    const before = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      await expect(createTestApp({ precompute: { cacheFile: dir.file('a.json'), statusPage: { path: PATH } }, controllers: [PayrollController], providers: [AllowAll] })).rejects.toThrow(
        'statusPage at /_precompute has no guard, and NODE_ENV is "production"',
      );
      process.env.NODE_ENV = 'development';
      const app = await createTestApp({ precompute: { cacheFile: dir.file('b.json'), statusPage: { path: PATH } }, controllers: [PayrollController], providers: [AllowAll] });
      try {
        const page = await request(app.getHttpServer()).get(PATH).expect(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.text).toContain('data-handler="PayrollController.get"');
        // No refresh button unless asked for
        expect(page.text).not.toContain('<form');
        await request(app.getHttpServer()).post(`${PATH}/refresh?handler=PayrollController.get`).expect(404);
      } finally {
        await app.close();
      }
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
