import { formatMs } from '../components/format.js';
import { ChartFrame, plot, yOf } from './chart-frame.js';
import { niceCeiling } from './scale.js';

const MAX_BINS = 20;

/** How many of a run's questions took how long, with the median and 95th percentile marked. */
export function LatencyHistogram(props: { latenciesMs: number[]; p50Ms: number | null; p95Ms: number | null }) {
  const { latenciesMs } = props;
  if (latenciesMs.length === 0) return <p class="empty">No latencies measured.</p>;
  const binMs = niceCeiling(Math.max(...latenciesMs, 1) / MAX_BINS);
  const bins = Math.max(1, Math.ceil((Math.max(...latenciesMs) + 1) / binMs));
  const counts = Array.from({ length: bins }, () => 0);
  for (const latency of latenciesMs) counts[Math.min(bins - 1, Math.floor(latency / binMs))]! += 1;
  // At least 5, so small runs still get whole-number ticks.
  const yMax = niceCeiling(Math.max(5, ...counts));
  const step = plot.width / bins;
  const xOfMs = (ms: number) => plot.x0 + (ms / (bins * binMs)) * plot.width;
  const labelEvery = Math.max(1, Math.ceil(bins / 8));
  const xLabels = counts.flatMap((_, index) =>
    index % labelEvery === 0 ? [{ x: plot.x0 + step * index, text: formatMs(index * binMs) }] : [],
  );
  // Labels on separate lines, and left of their line near the right edge, so neither is cut off.
  const markers = [
    { name: 'p50', ms: props.p50Ms, tone: 'blue', y: plot.y0 + 10 },
    { name: 'p95', ms: props.p95Ms, tone: 'amber', y: plot.y0 + 22 },
  ];
  const nearRightEdge = (ms: number) => xOfMs(ms) > plot.x1 - 90;
  return (
    <ChartFrame
      label="Latency distribution"
      yMax={yMax}
      format={(value) => (Number.isInteger(value) ? String(value) : '')}
      xLabels={xLabels}
    >
      {counts.map((count, index) =>
        count > 0 ? (
          <rect
            class="bar"
            x={plot.x0 + step * index + 1}
            width={Math.max(1, step - 2)}
            y={yOf(count, yMax)}
            height={plot.y1 - yOf(count, yMax)}
          >
            <title>{`${formatMs(index * binMs)}–${formatMs((index + 1) * binMs)}: ${count} question${count === 1 ? '' : 's'}`}</title>
          </rect>
        ) : null,
      )}
      {markers.map((marker) =>
        marker.ms === null ? null : (
          <g>
            <line
              class={`marker tone-${marker.tone}`}
              x1={xOfMs(marker.ms)}
              x2={xOfMs(marker.ms)}
              y1={plot.y0}
              y2={plot.y1}
            />
            <text
              class={`marker-label tone-${marker.tone}`}
              x={xOfMs(marker.ms) + (nearRightEdge(marker.ms) ? -4 : 4)}
              y={marker.y}
              text-anchor={nearRightEdge(marker.ms) ? 'end' : 'start'}
            >
              {`${marker.name} ${formatMs(marker.ms)}`}
            </text>
          </g>
        ),
      )}
    </ChartFrame>
  );
}
