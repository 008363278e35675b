import { html } from 'hono/html';

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Equal-width latency bins from 0 to the slowest answer, at most `binCount` of them. */
export function latencyBins(latencies: number[], binCount = 12): HistogramBin[] {
  if (latencies.length === 0) return [];
  const max = Math.max(...latencies, 1);
  const width = Math.max(1, Math.ceil(max / binCount));
  const bins = Array.from({ length: Math.ceil((max + 1) / width) }, (_, index) => ({
    from: index * width,
    to: (index + 1) * width,
    count: 0,
  }));
  for (const latency of latencies) bins[Math.min(bins.length - 1, Math.floor(latency / width))]!.count++;
  return bins;
}

/** The histogram as inline SVG, so the report needs no script or network to draw it. */
export function histogramSvg(bins: HistogramBin[]) {
  const [width, height, top, bottom] = [640, 180, 16, 40];
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  const barWidth = bins.length ? width / bins.length : width;
  return html`<svg
    class="histogram"
    viewBox="0 0 ${width} ${top + height + bottom}"
    role="img"
    aria-label="Latency histogram"
  >
    <g transform="translate(0 ${top})">
      ${bins.map((bin, index) => {
        const barHeight = (bin.count / most) * height;
        const x = index * barWidth;
        return html`<g>
          <rect
            class="bar"
            x="${x + 2}"
            y="${height - barHeight}"
            width="${barWidth - 4}"
            height="${barHeight}"
            data-count="${bin.count}"
          >
            <title>${bin.from}–${bin.to} ms: ${bin.count}</title>
          </rect>
          ${bin.count ? html`<text class="count" x="${x + barWidth / 2}" y="${height - barHeight - 4}" text-anchor="middle">${bin.count}</text>` : ''}
          <text x="${x + barWidth / 2}" y="${height + 16}" text-anchor="middle">${bin.from}</text>
        </g>`;
      })}
      <text x="${width / 2}" y="${height + 34}" text-anchor="middle">latency (ms) — questions per bar</text>
    </g>
  </svg>`;
}
