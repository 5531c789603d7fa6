import { describe, expect, it } from '@jest/globals';
import type { HandlerStatus } from '../interfaces/precompute-status.interface';
import { escapeHtml, formatBytes, formatSpan, renderStatusPage } from './status-page.view';
import { buildReport } from './status-report';

const handler: HandlerStatus = {
  handler: 'Evil<script>.get',
  route: 'GET /x',
  total: 4,
  cached: 3,
  computed: 3,
  failed: 1,
  inProgress: 0,
  answered: { 404: 2 },
  coverage: 0.75,
  stale: 0,
  bytes: 2048,
  answers: { cached: 1, early: 0, notModified: 0, live: 0, stale: 0, byStatus: { 200: 1, 404: 2 } },
  failing: 1,
  failures: [{ key: 'GET /x?q="><img src=x>', error: 'Error: <b>bad</b>', at: '2026-01-01T00:00:00.000Z', count: 2 }],
  serving: { path: 'interceptor', why: 'earlyHits is off' },
};

describe('the status page view', () => {
  it('escapes everything that comes from handlers, keys and errors', () => {
    const html = renderStatusPage(buildReport([handler], { mode: 'blocking', state: 'ready' }, 'c.json', new Date('2026-01-01T00:01:00Z')), {
      path: '/p',
      refreshButton: true,
      autoRefreshSeconds: 0,
    });
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('Evil&lt;script&gt;.get');
    expect(html).toContain('GET /x?q=&quot;&gt;&lt;img src=x&gt;');
    expect(html).toContain('action="/p/refresh?handler=Evil%3Cscript%3E.get"');
    expect(html).toContain('<span data-field="coverage">3 / 4 cached</span>');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('<span class="muted" data-field="answered">of which 2 answered 404</span>');
    expect(html).toMatch(/data-field="by-status">.*200 × 1<\/span> · <span class="status warn" data-status="404">404 × 2</);
  });

  it('formats sizes and spans for people', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.0 MB']);
    expect([formatSpan(4_000), formatSpan(125_000), formatSpan(3_900_000), formatSpan(3 * 86_400_000)]).toEqual(['4s', '2m 5s', '1h 5m', '3d']);
  });
});
