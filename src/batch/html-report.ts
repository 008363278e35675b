import { html, raw } from 'hono/html';
import type { BatchReport } from './batch-report.js';
import { histogramSvg, latencyBins } from './latency-histogram.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
.meta{color:#57606a}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.good{color:#1a7f37}.bad{color:#cf222e}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.histogram{width:100%;max-width:40rem}.histogram .bar{fill:#0969da}.histogram text{font-size:11px;fill:#57606a}.histogram text.count{fill:#1f2328}
#answer-types{max-width:32rem}
ul.reasons{margin:0;padding-left:1.1rem}`;

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** The batch report as one self-contained HTML page: no scripts, no external assets. */
export function renderHtmlReport(report: BatchReport): string {
  const { summary } = report;
  const failing = report.results.filter((result) => !result.passed);
  const latencies = report.results.filter((result) => !result.error).map((result) => result.latencyMs);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Batch test ${report.runtimeid}: ${percent(summary.passRate)} passed</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <h1>Batch test ${report.runtimeid}</h1>
        <p class="meta">
          ${report.targetUrl} · ${report.mode === 'stream' ? 'streaming' : 'JSON'} · concurrency ${report.concurrency} ·
          ${report.startedAt} → ${report.finishedAt}
        </p>
        <div class="cards">
          <div class="card" id="pass-rate">
            <b class="${summary.failed ? 'bad' : 'good'}">${percent(summary.passRate)}</b>passed
            (${summary.passed}/${summary.total})
          </div>
          <div class="card"><b>${summary.latency.p50} ms</b>p50 latency</div>
          <div class="card"><b>${summary.latency.p95} ms</b>p95 latency</div>
          <div class="card"><b>${summary.latency.p99} ms</b>p99 latency</div>
          ${summary.callbacks.expected ? html`<div class="card"><b>${summary.callbacks.received}/${summary.callbacks.expected}</b>batch callbacks received</div>` : ''}
        </div>
        ${report.comparison ? comparisonSection(report) : ''}
        <h2>Latency</h2>
        ${histogramSvg(latencyBins(latencies))}
        <p class="meta">
          p50 ${summary.latency.p50} ms · p90 ${summary.latency.p90} ms · p95 ${summary.latency.p95} ms · p99
          ${summary.latency.p99} ms · max ${summary.latency.max} ms · mean ${summary.latency.mean} ms
        </p>
        <h2>Answer types</h2>
        <table id="answer-types">
          <tr>
            <th>answer_type</th>
            <th>questions</th>
            <th>share</th>
          </tr>
          ${Object.entries(summary.answerTypes)
            .sort(([, a], [, b]) => b - a)
            .map(
              ([type, count]) =>
                html`<tr>
                  <td>${type}</td>
                  <td class="num">${count}</td>
                  <td class="num">${percent(count / summary.total)}</td>
                </tr>`,
            )}
        </table>
        <h2>Failing questions (${failing.length})</h2>
        ${
          failing.length === 0
            ? html`<p class="good">Every question passed.</p>`
            : html`<table id="failures">
                <tr>
                  <th>id</th>
                  <th>question</th>
                  <th>answer</th>
                  <th>type</th>
                  <th>ms</th>
                  <th>why</th>
                </tr>
                ${failing.map(
                  (result) =>
                    html`<tr class="failure">
                      <td>${result.questionid}</td>
                      <td>${result.question}</td>
                      <td>${result.answer}</td>
                      <td>${result.answerType ?? ''}</td>
                      <td class="num">${result.latencyMs}</td>
                      <td>
                        <ul class="reasons">
                          ${result.failures.map((failure) => html`<li>${failure}</li>`)}
                        </ul>
                      </td>
                    </tr>`,
                )}
              </table>`
        }
      </body>
    </html>`;
  return String(page);
}

function comparisonSection(report: BatchReport) {
  const comparison = report.comparison!;
  const list = (title: string, questions: string[], className: string) =>
    questions.length
      ? html`<p><b class="${className}">${title} (${questions.length})</b></p>
          <ul>
            ${questions.map((question) => html`<li>${question}</li>`)}
          </ul>`
      : '';
  const change = report.summary.passRate - comparison.previousPassRate;
  return html`<h2>Compared with ${comparison.previousRuntimeid}</h2>
    <p id="comparison">
      Pass rate ${percent(comparison.previousPassRate)} → ${percent(report.summary.passRate)} (<span
        class="${change < 0 ? 'bad' : 'good'}"
        >${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} points</span
      >), p50 latency ${comparison.latencyP50Change >= 0 ? '+' : ''}${comparison.latencyP50Change} ms.
    </p>
    ${list('Regressed', comparison.regressed, 'bad')}${list('Fixed', comparison.fixed, 'good')}${list('New questions', comparison.added, '')}`;
}
