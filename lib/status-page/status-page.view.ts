/**
 * The status page's HTML: one self-contained document (inline CSS, no script,
 * no external asset), rendered from the report. Every field a test or a
 * person may look for carries a `data-field` attribute.
 */
import type { HandlerStatus } from '../interfaces/precompute-status.interface';
import { STATUS_PAGE_CSS } from './status-page.styles';
import type { PrecomputeReport } from './status-report';

export interface ViewOptions {
  readonly path: string;
  readonly refreshButton: boolean;
  readonly autoRefreshSeconds: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const count = (n: number) => n.toLocaleString('en-US');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatSpan(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86_400)}d`;
}

function time(iso: string, now: number, future: boolean): string {
  const ms = Date.parse(iso) - now;
  const words = future ? (ms <= 0 ? 'due now' : `in ${formatSpan(ms)}`) : ms > -1000 ? 'just now' : `${formatSpan(ms)} ago`;
  return `<time datetime="${iso}" title="${iso}">${words}</time>`;
}

function stat(field: string, label: string, value: string, tone = ''): string {
  return `<div class="stat ${tone}"><span class="label">${label}</span><span class="value" data-field="${field}">${value}</span></div>`;
}

/** `200 × 12 · 304 × 3 · 404 × 1`, statuses in order; 4xx in the warning tone. */
function statuses(byStatus: Readonly<Record<number, number>>): string {
  const entries = Object.entries(byStatus).sort(([x], [y]) => Number(x) - Number(y));
  if (entries.length === 0) return 'none yet';
  return entries
    .map(([status, n]) => `<span class="status${Number(status) >= 400 ? ' warn' : ''}" data-status="${escapeHtml(status)}">${escapeHtml(status)} × ${count(n)}</span>`)
    .join(' · ');
}

function percent(cached: number, total: number): number {
  return total === 0 ? 100 : Math.floor((cached * 1000) / total) / 10;
}

function handlerCard(handler: HandlerStatus, view: ViewOptions, now: number): string {
  const share = percent(handler.cached, handler.total);
  const progress = handler.progress
    ? `<p class="progress" data-field="progress">Computing: ${count(handler.progress.done)} of ${count(handler.progress.toCompute)} ` +
      `(${handler.progress.percent}%)${handler.inProgress ? `, ${count(handler.inProgress)} under way` : ''}` +
      `${handler.progress.etaMs === undefined ? '' : `, about ${formatSpan(handler.progress.etaMs)} left`}</p>`
    : handler.inProgress > 0
      ? `<p class="progress" data-field="progress">${count(handler.inProgress)} combination${handler.inProgress === 1 ? '' : 's'} being computed</p>`
      : '';
  const refresh = handler.lastRefresh
    ? `${time(handler.lastRefresh.at, now, false)} (${escapeHtml(handler.lastRefresh.reason)}: ${count(handler.lastRefresh.computed)} computed, ` +
      `${count(handler.lastRefresh.failed)} failed, ${formatSpan(handler.lastRefresh.durationMs) === '0s' ? `${handler.lastRefresh.durationMs}ms` : formatSpan(handler.lastRefresh.durationMs)})`
    : 'none yet';
  const next = handler.nextRefresh ? time(handler.nextRefresh, now, true) : 'none (no TTL)';
  const button = view.refreshButton
    ? `<form method="post" action="${escapeHtml(view.path)}/refresh?handler=${encodeURIComponent(handler.handler)}">` +
      '<button type="submit">Refresh now</button></form>'
    : '';
  const failures = handler.failing
    ? `<table class="failures" data-field="failures"><thead><tr><th>failing combination</th><th>last error</th><th>when</th><th>times</th></tr></thead><tbody>` +
      handler.failures
        .map((f) => `<tr><td><code>${escapeHtml(f.key)}</code></td><td>${escapeHtml(f.error)}</td><td>${time(f.at, now, false)}</td><td>${count(f.count)}</td></tr>`)
        .join('') +
      (handler.failing > handler.failures.length ? `<tr><td colspan="4">and ${count(handler.failing - handler.failures.length)} more</td></tr>` : '') +
      '</tbody></table>'
    : '';
  const a = handler.answers;
  // Cached 4xx answers are answers (the handler said so), not failures: shown beside the coverage
  const held = handler.answered
    ? ` <span class="muted" data-field="answered">of which ${Object.entries(handler.answered)
        .map(([status, n]) => `${count(n)} answered ${escapeHtml(status)}`)
        .join(', ')}</span>`
    : '';
  return `<section class="card" data-handler="${escapeHtml(handler.handler)}">
<header><div><h2>${escapeHtml(handler.handler)}</h2><code class="route">${escapeHtml(handler.route)}</code></div>
<span class="badge ${handler.serving.path}" data-field="serving-path">${handler.serving.path === 'early' ? 'early path' : 'interceptor'}</span></header>
<div class="coverage"><div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${handler.total}" aria-valuenow="${handler.cached}"><div style="width:${share}%"></div></div>
<span data-field="coverage">${count(handler.cached)} / ${count(handler.total)} cached</span> <span class="muted">(${share}%)</span>${held}</div>
${progress}
<div class="stats">${[
    stat('hits', 'hits', count(a.cached)),
    stat('early-hits', 'early hits', count(a.early)),
    stat('not-modified', '304', count(a.notModified)),
    stat('live', 'live answers', count(a.live)),
    stat('stale-served', 'stale served', count(a.stale), a.stale ? 'warn' : ''),
    stat('stale', 'stale entries', count(handler.stale), handler.stale ? 'warn' : ''),
    stat('failing', 'failing', count(handler.failing), handler.failing ? 'bad' : ''),
    stat('bytes', 'size', formatBytes(handler.bytes)),
  ].join('')}</div>
<p class="statuses" data-field="by-status"><span class="muted">Hits by status:</span> ${statuses(a.byStatus)}</p>
<div class="refresh"><p><span class="muted">Last refresh:</span> <span data-field="last-refresh">${refresh}</span> <span class="muted">· Next refresh:</span> <span data-field="next-refresh">${next}</span></p>${button}</div>
<p class="serving muted" data-field="serving-why">Served by the ${handler.serving.path === 'early' ? 'early path' : 'interceptor'}: ${escapeHtml(handler.serving.why)}</p>
${failures}
</section>`;
}

export function renderStatusPage(report: PrecomputeReport, view: ViewOptions): string {
  const now = Date.parse(report.generatedAt);
  const t = report.totals;
  const state = { running: 'Startup run in progress', ready: 'Ready', failed: 'Startup failed' }[report.startup.state];
  const reload = view.autoRefreshSeconds > 0 ? `<meta http-equiv="refresh" content="${view.autoRefreshSeconds}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${reload}
<title>Precompute status · ${percent(t.cached, t.total)}% cached</title><style>${STATUS_PAGE_CSS}</style></head>
<body><main>
<header class="top"><h1>nestjs-precompute</h1><span class="state ${report.startup.state}" data-field="state">${state}</span>
<span class="muted">generated ${escapeHtml(new Date(report.generatedAt).toUTCString())}${view.autoRefreshSeconds > 0 ? ` · reloads every ${view.autoRefreshSeconds}s` : ''} · <a href="${escapeHtml(view.path)}?format=json">JSON</a></span></header>
${report.startup.error ? `<p class="error">${escapeHtml(report.startup.error)}</p>` : ''}
<div class="summary">${[
    stat('total-coverage', 'cached', `${count(t.cached)} / ${count(t.total)}`),
    stat('total-stale', 'stale', count(t.stale), t.stale ? 'warn' : ''),
    stat('total-failing', 'failing', count(t.failing), t.failing ? 'bad' : ''),
    stat('total-bytes', 'size', formatBytes(t.bytes)),
    stat('startup-mode', 'startup', escapeHtml(report.startup.mode)),
    stat('store', 'store', `<code>${escapeHtml(report.store)}</code>`),
  ].join('')}</div>
${report.handlers.map((handler) => handlerCard(handler, view, now)).join('\n')}
${report.handlers.length === 0 ? '<p class="muted">No @Precomputed() handler in this app.</p>' : ''}
</main></body></html>`;
}
