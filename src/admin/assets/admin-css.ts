/** The console's stylesheet, served as /admin/assets/admin.css: no CDN, no build step, works offline. */
export const adminCss = `
:root {
  --bg: #f5f6f8; --surface: #fff; --border: #e2e5e9; --border-strong: #cdd2d8;
  --text: #1d232a; --muted: #68717c; --faint: #8b939c;
  --accent: #2458d6; --accent-soft: #e8eefc;
  --ok: #1a7f37; --ok-soft: #e3f4e7; --warn: #9a6100; --warn-soft: #fdf1d8;
  --bad: #c4272f; --bad-soft: #fde7e8; --info-soft: #eef0f3;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { font: 13.5px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--text); background: var(--bg); }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 18px; font-weight: 600; margin: 0; }
h2 { font-size: 14px; font-weight: 600; margin: 0 0 10px; }
h3 { font-size: 12px; font-weight: 600; margin: 14px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre, .mono { font-family: var(--mono); font-size: 12px; }
.muted { color: var(--muted); }
.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }

.topbar { display: flex; align-items: center; gap: 24px; height: 46px; padding: 0 20px; background: #1e2630; color: #e6e9ed; }
.brand { color: #fff; font-weight: 600; letter-spacing: .01em; }
.brand:hover { text-decoration: none; }
.brand span { color: #9aa4b1; font-weight: 400; margin-left: 4px; }
.topbar nav { display: flex; gap: 4px; flex: 1; }
.topbar nav a { color: #c3cad3; padding: 6px 10px; border-radius: 5px; }
.topbar nav a:hover { color: #fff; background: #2c3643; text-decoration: none; }
.topbar nav a.active { color: #fff; background: #364252; }
.topbar-right { display: flex; align-items: center; gap: 14px; color: #c3cad3; font-size: 12.5px; }
.topbar-right form { margin: 0; }
.topbar-right button { background: none; border: 0; color: #c3cad3; cursor: pointer; font: inherit; padding: 0; }
.topbar-right button:hover { color: #fff; }
.live-toggle { display: flex; align-items: center; gap: 6px; cursor: pointer; }
.live-dot { width: 7px; height: 7px; border-radius: 50%; background: #6b7380; }
.live-on .live-dot { background: #3fb950; box-shadow: 0 0 0 3px rgba(63, 185, 80, .2); }

.page { max-width: 1360px; margin: 0 auto; padding: 20px 24px 48px; }
.page-head { display: flex; align-items: baseline; gap: 14px; margin-bottom: 16px; flex-wrap: wrap; }
.page-head .sub { color: var(--muted); }
.page-head .actions { margin-left: auto; display: flex; gap: 8px; align-items: center; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
.panel.flush { padding: 0; overflow: hidden; }
.panel-head { display: flex; align-items: baseline; gap: 10px; padding: 12px 16px; border-bottom: 1px solid var(--border); }
.panel-head h2 { margin: 0; }
.panel-head .right { margin-left: auto; color: var(--muted); font-size: 12px; }
.grid { display: grid; gap: 16px; }
.grid.two { grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); margin-bottom: 16px; }
.grid > .panel { margin-bottom: 0; }
.empty { padding: 28px 16px; text-align: center; color: var(--muted); }
.notice { padding: 10px 14px; border-radius: 6px; background: var(--warn-soft); color: var(--warn); margin-bottom: 16px; }
.notice.bad { background: var(--bad-soft); color: var(--bad); }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px; }
.stat .label { color: var(--muted); font-size: 12px; }
.stat .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.stat .value.bad { color: var(--bad); }
.stat .value.ok { color: var(--ok); }
.stat .hint { color: var(--faint); font-size: 11.5px; }

table.data { width: 100%; border-collapse: collapse; }
table.data th { text-align: left; font-weight: 600; font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; padding: 8px 12px; background: #fafbfc; border-bottom: 1px solid var(--border); white-space: nowrap; }
table.data td { padding: 7px 12px; border-bottom: 1px solid #eef0f2; vertical-align: top; }
table.data tr:last-child td { border-bottom: 0; }
table.data tbody tr:hover td { background: #fafbfd; }
table.data th.num { text-align: right; }
td.clip { max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.wrap { max-width: 420px; overflow-wrap: anywhere; }

.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11.5px; font-weight: 500; background: var(--info-soft); color: #444c56; white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
.badge.accent { background: var(--accent-soft); color: var(--accent); }

.btn { display: inline-flex; align-items: center; gap: 6px; height: 28px; padding: 0 12px; border: 1px solid var(--border-strong); border-radius: 6px; background: var(--surface); color: var(--text); font: inherit; font-size: 12.5px; cursor: pointer; white-space: nowrap; }
.btn:hover { background: #f3f5f7; text-decoration: none; }
.btn:disabled { opacity: .5; cursor: default; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.btn.primary:hover { background: #1d4bbd; }
.btn.small { height: 24px; padding: 0 9px; font-size: 12px; }

.filters { display: flex; gap: 10px; align-items: flex-end; flex-wrap: wrap; padding: 12px 16px; }
.filters label { display: flex; flex-direction: column; gap: 3px; font-size: 11.5px; color: var(--muted); }
input[type=text], input[type=password], input[type=datetime-local], select { height: 30px; padding: 0 9px; border: 1px solid var(--border-strong); border-radius: 6px; font: inherit; background: #fff; color: var(--text); }
input:focus, select:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
.tabs { display: flex; gap: 2px; padding: 0 12px; border-bottom: 1px solid var(--border); }
.tabs a { padding: 10px 12px; color: var(--muted); border-bottom: 2px solid transparent; margin-bottom: -1px; }
.tabs a:hover { color: var(--text); text-decoration: none; }
.tabs a.active { color: var(--text); border-bottom-color: var(--accent); font-weight: 500; }
.tabs .tab-actions { margin-left: auto; align-self: center; }
.tabs .count { color: var(--faint); margin-left: 4px; font-variant-numeric: tabular-nums; }
.pager { display: flex; justify-content: flex-end; gap: 8px; padding: 10px 16px; border-top: 1px solid var(--border); }

.login { max-width: 360px; margin: 12vh auto; }
.login .panel { padding: 24px; }
.login h1 { margin-bottom: 4px; }
.login p { color: var(--muted); margin: 0 0 16px; }
.login input { width: 100%; margin: 4px 0 14px; }
.login .btn { width: 100%; justify-content: center; height: 32px; }
.login .error { color: var(--bad); margin: -6px 0 12px; }

.meta-list { display: flex; flex-wrap: wrap; gap: 6px 22px; color: var(--muted); font-size: 12.5px; }
.meta-list b { color: var(--text); font-weight: 500; }

.chat { padding: 18px 20px; display: flex; flex-direction: column; gap: 18px; background: #f0f2f5; }
.turn { display: flex; flex-direction: column; gap: 6px; }
.visitor { align-self: flex-end; max-width: 62%; display: flex; flex-direction: column; align-items: flex-end; gap: 3px; }
.bot { align-self: flex-start; max-width: 72%; display: flex; flex-direction: column; gap: 6px; }
.who { font-size: 11.5px; color: var(--faint); }
.bubble { padding: 8px 12px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.visitor .bubble { background: var(--accent); color: #fff; border-top-right-radius: 3px; }
.visitor .bubble.click { background: var(--accent-soft); color: var(--accent); border: 1px solid #c9d6f6; }
.click-label { font-size: 10.5px; text-transform: uppercase; letter-spacing: .04em; opacity: .75; margin-right: 8px; }
.visitor .bubble a { color: inherit; text-decoration: underline; }
.system-note { align-self: center; font-size: 12px; color: var(--muted); background: #e4e7eb; padding: 2px 10px; border-radius: 10px; }
.bot .bubble { background: #fff; border: 1px solid var(--border); border-top-left-radius: 3px; }
.bot .bubble.error { background: var(--bad-soft); border-color: #f5c2c5; color: var(--bad); }
.options { display: flex; flex-wrap: wrap; gap: 6px; }
.option { padding: 5px 14px; border-radius: 16px; border: 1px solid var(--accent); color: var(--accent); background: #fff; font-size: 12.5px; }
.cards-guide { font-size: 12.5px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; width: 520px; max-width: 100%; }
.card { display: flex; gap: 10px; padding: 10px; background: #fff; border: 1px solid var(--border); border-radius: 8px; }
.thumb-box { flex: none; width: 56px; height: 56px; border-radius: 6px; background: #e9edf2; color: #8c96a3; display: flex; align-items: center; justify-content: center; font-weight: 600; font-size: 18px; overflow: hidden; }
.thumb-box { position: relative; }
.thumb-box img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; background: #e9edf2; }
.thumb-box img.broken { display: none; }
.card-body { min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.card-name { font-weight: 600; overflow-wrap: anywhere; }
.card-desc, .card-detail { color: var(--muted); font-size: 12px; }
.card-price { color: #d4380d; font-weight: 600; }
.card-menus { display: flex; gap: 6px; margin-top: 4px; flex-wrap: wrap; }
.card-menus span { font-size: 11.5px; padding: 1px 8px; border: 1px solid var(--border-strong); border-radius: 10px; color: var(--text); }
.handover { background: #fff8e6; border: 1px solid #f3dfa4; border-radius: 8px; padding: 8px 12px; font-size: 12.5px; }
.handover .title { font-weight: 600; color: var(--warn); margin-bottom: 4px; }
.handover pre { margin: 0; white-space: pre-wrap; font-family: inherit; color: var(--text); }
.round-meta { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 11.5px; color: var(--faint); }

details.round-details { align-self: stretch; background: #fff; border: 1px solid var(--border); border-radius: 8px; }
details.round-details > summary { cursor: pointer; padding: 6px 12px; font-size: 12px; color: var(--muted); list-style: none; }
details.round-details > summary::-webkit-details-marker { display: none; }
details.round-details > summary::before { content: "▸"; display: inline-block; width: 14px; }
details.round-details[open] > summary::before { content: "▾"; }
details.round-details[open] > summary { border-bottom: 1px solid var(--border); }
.details-body { padding: 4px 14px 14px; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 4px 24px; }
.details-body .full { grid-column: 1 / -1; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; font-size: 12.5px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
pre.json { margin: 0; padding: 10px 12px; background: #f7f8fa; border: 1px solid var(--border); border-radius: 6px; max-height: 320px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
table.mini { border-collapse: collapse; width: 100%; font-size: 12.5px; }
table.mini th { text-align: left; color: var(--muted); font-weight: 500; padding: 3px 8px 3px 0; border-bottom: 1px solid var(--border); }
table.mini td { padding: 3px 8px 3px 0; border-bottom: 1px solid #f0f1f3; vertical-align: top; }

svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-size: 10px; fill: var(--muted); font-family: inherit; }
svg.chart .grid-line { stroke: #eceef1; }
svg.chart .axis-line { stroke: var(--border-strong); }
svg.chart .bar { fill: #7ea6f0; }
svg.chart .bar:hover { fill: var(--accent); }
svg.chart .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
svg.chart .dot { stroke: none; }
svg.chart .hover-target { fill: transparent; }
svg.chart .tone-blue { stroke: var(--accent); fill: var(--accent); }
svg.chart .tone-amber { stroke: #d98e04; fill: #d98e04; }
svg.chart .tone-red { stroke: var(--bad); fill: var(--bad); }
svg.chart .line.tone-blue, svg.chart .line.tone-amber, svg.chart .line.tone-red { fill: none; }
svg.chart .area { stroke: none; fill: #7ea6f0; opacity: .25; }
svg.chart .marker { stroke-dasharray: 3 3; stroke-width: 1.2; }
svg.chart text.marker-label { font-weight: 600; stroke: none; }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin: -4px 0 6px; }
.legend i { display: inline-block; width: 10px; height: 3px; border-radius: 2px; vertical-align: middle; margin-right: 5px; }
.legend .tone-blue { background: var(--accent); }
.legend .tone-amber { background: #d98e04; }
.legend .tone-red { background: var(--bad); }
.chart-title { display: flex; align-items: baseline; gap: 8px; margin-bottom: 8px; }
.chart-title h2 { margin: 0; }
.chart-title .now { margin-left: auto; font-size: 12px; color: var(--muted); }

svg.waterfall { display: block; width: 100%; max-width: 560px; height: auto; }
svg.waterfall text { font-size: 11px; fill: var(--muted); font-family: inherit; }
svg.waterfall .track { fill: #f0f2f5; }
svg.waterfall .span { fill: #7ea6f0; }
svg.waterfall .span.total { fill: #9aa5b4; }
svg.waterfall .value { fill: var(--text); }

.toast { position: fixed; right: 20px; bottom: 20px; padding: 9px 14px; border-radius: 6px; background: #1e2630; color: #fff; font-size: 12.5px; opacity: 0; transform: translateY(6px); transition: opacity .15s, transform .15s; pointer-events: none; }
.toast.shown { opacity: 1; transform: none; }
.toast.bad { background: var(--bad); }
footer.page-foot { color: var(--faint); font-size: 11.5px; text-align: center; padding: 0 0 24px; }
`;
