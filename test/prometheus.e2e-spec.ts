import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, ParseEnumPipe, Query } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Precomputed } from '../lib';
import { createTestApp } from './helpers/test-app';
import { tempDir } from './helpers/temp-dir';

enum Region {
  EMEA = 'EMEA',
  APAC = 'APAC',
}

@Controller('report')
class ReportController {
  @Get()
  @Precomputed()
  get(@Query('region', new ParseEnumPipe(Region)) region: Region) {
    return { region };
  }
}

describe('a Prometheus scrape through the OTel Prometheus exporter (the README example)', () => {
  const dir = tempDir();
  let scrape: Server | undefined;
  afterAll(() => {
    scrape?.close();
    metrics.disable();
    dir.cleanup();
  });

  it('exposes the counters, histograms and gauges with http_route labels', async () => {
    // As in the README, but served on a free port instead of 9464
    const exporter = new PrometheusExporter({ preventServerStart: true });
    metrics.disable();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
    scrape = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
    await new Promise<void>((resolve) => scrape?.listen(0, '127.0.0.1', resolve));

    const app = await createTestApp({ precompute: { cacheFile: dir.file('cache.json') }, controllers: [ReportController] });
    try {
      await request(app.getHttpServer()).get('/report?region=EMEA').expect(200);
      const text = (await request(`http://127.0.0.1:${(scrape.address() as AddressInfo).port}`).get('/metrics').expect(200)).text;
      const labels = 'http_route="/report",http_request_method="GET",precompute_handler="ReportController.get"';
      expect(text).toContain(`precompute_hits_total{${labels},precompute_serving_path="early",http_response_status_code="200",otel_scope_name="nestjs-precompute"} 1`);
      expect(text).toContain(`precompute_compute_duration_count{${labels},otel_scope_name="nestjs-precompute"} 2`);
      expect(text).toContain(`precompute_serve_duration_count{${labels},precompute_serving_path="early"`);
      expect(text).toContain(`precompute_entries{${labels},otel_scope_name="nestjs-precompute"} 2`);
      expect(text).toContain(`precompute_stale_entries{${labels},otel_scope_name="nestjs-precompute"} 0`);
      expect(text).toContain(`precompute_bytes{${labels},otel_scope_name="nestjs-precompute"} ${'{"region":"EMEA"}'.length * 2}`);
    } finally {
      await app.close();
    }
  });
});
