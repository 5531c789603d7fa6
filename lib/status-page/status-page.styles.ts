/** The page's only stylesheet, inlined: the page loads nothing else. */
export const STATUS_PAGE_CSS = `
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f5f6f8;--card:#fff;--ok:#12a150;--warn:#b54708;--bad:#c01c28;--accent:#3056d3}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:0 0 2px}code{font:12.5px ui-monospace,"DejaVu Sans Mono",monospace}
a{color:var(--accent)}.muted{color:var(--muted)}
.top{display:flex;align-items:center;gap:12px;flex-wrap:wrap;margin-bottom:16px}.top .muted{margin-left:auto}
.state{padding:3px 10px;border-radius:999px;font-weight:600;font-size:12.5px}
.state.ready{background:#e3f6ea;color:var(--ok)}.state.running{background:#e7edfc;color:var(--accent)}.state.failed{background:#fde8e9;color:var(--bad)}
.error{background:#fde8e9;color:var(--bad);padding:10px 14px;border-radius:8px;white-space:pre-wrap}
.summary,.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px}
.summary{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;margin-bottom:16px}
.stat{display:flex;flex-direction:column}.stat .label{color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.04em}
.stat .value{overflow-wrap:anywhere;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}.stat.warn .value{color:var(--warn)}.stat.bad .value{color:var(--bad)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px;margin-bottom:14px}
.card>header{display:flex;justify-content:space-between;align-items:flex-start;gap:12px;margin-bottom:10px}.route{color:var(--muted)}
.badge{font-size:12px;padding:2px 9px;border-radius:6px;border:1px solid var(--line);white-space:nowrap}.badge.early{background:#fff4e5;border-color:#f5c992}.badge.interceptor{background:#eef2ff;border-color:#c7d2fe}
.coverage{display:flex;align-items:center;gap:10px;margin-bottom:8px}.bar{flex:1;height:12px;background:#eceff3;border-radius:6px;overflow:hidden}
.bar>div{height:100%;background:linear-gradient(90deg,#1fb45f,#12a150)}
.progress{margin:0 0 10px;color:var(--accent);font-weight:500}
.stats{margin:10px 0;padding:10px 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
.refresh{display:flex;align-items:center;justify-content:space-between;gap:12px}.refresh p{margin:0}
button{font:inherit;padding:5px 12px;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
.serving{margin:6px 0 0;font-size:13px}.statuses{margin:0 0 8px;font-size:13px;font-variant-numeric:tabular-nums}.status.warn{color:var(--warn)}
table.failures{width:100%;border-collapse:collapse;margin-top:12px;font-size:13px}
.failures th{text-align:left;color:var(--muted);font-weight:500;border-bottom:1px solid var(--line);padding:4px 6px}
.failures td{border-bottom:1px solid var(--line);padding:5px 6px;vertical-align:top}.failures td:nth-child(2){color:var(--bad)}
`;
