import { formatMs } from '../components/format.js';

const width = 560;
const labelWidth = 84;
const valueWidth = 92;
const rowHeight = 22;

export interface RoundTimings {
  firstTokenMs: number | null;
  firstByteMs: number | null;
  latencyMs: number | null;
}

/**
 * A round's timings from the moment its request arrived (0): the model's first token, the first byte
 * written to Sobot, and the end. Each bar spans from arrival, so a gap between bars is where time went.
 */
export function TimingWaterfall(props: { timings: RoundTimings }) {
  const rows = [
    { label: 'First token', ms: props.timings.firstTokenMs, total: false },
    { label: 'First byte', ms: props.timings.firstByteMs, total: false },
    { label: 'Done', ms: props.timings.latencyMs, total: true },
  ];
  const longest = Math.max(1, ...rows.map((row) => row.ms ?? 0));
  const track = width - labelWidth - valueWidth;
  const height = rows.length * rowHeight + 4;
  return (
    <svg class="waterfall" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Round timings">
      {rows.map((row, index) => {
        const y = 2 + index * rowHeight;
        const barWidth = row.ms === null ? 0 : Math.max(2, (row.ms / longest) * track);
        return (
          <g>
            <text x={0} y={y + 14}>
              {row.label}
            </text>
            <rect class="track" x={labelWidth} y={y + 4} width={track} height={12} rx={2} />
            {row.ms !== null && (
              <rect
                class={row.total ? 'span total' : 'span'}
                x={labelWidth}
                y={y + 4}
                width={barWidth}
                height={12}
                rx={2}
              >
                <title>{`${row.label}: ${formatMs(row.ms)} after the request arrived`}</title>
              </rect>
            )}
            <text class={row.ms === null ? undefined : 'value'} x={width} y={y + 14} text-anchor="end">
              {row.ms === null ? 'not measured' : formatMs(row.ms)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
