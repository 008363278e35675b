import { utcText } from '../components/format.js';
import { ChartFrame, plot, yOf } from './chart-frame.js';
import { niceCeiling } from './scale.js';

export type Tone = 'blue' | 'amber' | 'red';

export interface Series {
  name: string;
  /** One value per bucket; null where there is nothing to show (no rounds, so no latency). */
  values: Array<number | null>;
  style: 'bars' | 'line';
  tone: Tone;
}

/**
 * Values per time bucket as bars or lines, server-rendered SVG. Hovering a bar or point shows its time
 * and value (SVG `<title>`).
 */
export function TimeSeriesChart(props: {
  label: string;
  /** Each bucket's start, Unix milliseconds. */
  times: number[];
  series: Series[];
  format: (value: number) => string;
  /** The y axis's top is at least this (e.g. 1 for a rate that is mostly 0). */
  minMax?: number;
  /** The y axis stops here (a rate never exceeds 1). */
  cap?: number;
}) {
  const count = props.times.length;
  const step = plot.width / Math.max(count, 1);
  const centre = (index: number) => plot.x0 + step * index + step / 2;
  const highest = Math.max(
    0,
    ...props.series.flatMap((series) => series.values.filter((v): v is number => v !== null)),
  );
  const yMax = Math.min(niceCeiling(Math.max(highest, props.minMax ?? 0)), props.cap ?? Infinity);
  const labelEvery = Math.max(1, Math.round(count / 6));
  const xLabels = props.times.flatMap((at, index) =>
    index % labelEvery === 0 ? [{ x: centre(index), text: utcText(at).slice(11, 16), clock: at }] : [],
  );
  const tip = (index: number, series: Series, value: number) => (
    <title data-clock={props.times[index]} data-suffix={` · ${series.name}: ${props.format(value)}`}>
      {`${utcText(props.times[index]!).slice(11, 16)} · ${series.name}: ${props.format(value)}`}
    </title>
  );
  return (
    <ChartFrame label={props.label} yMax={yMax} format={props.format} xLabels={xLabels}>
      {props.series.map((series) =>
        series.style === 'bars' ? (
          <g>
            {series.values.map((value, index) =>
              value ? (
                <rect
                  class="bar"
                  x={plot.x0 + step * index + Math.min(1, step * 0.15)}
                  width={Math.max(1, step - 2 * Math.min(1, step * 0.15))}
                  y={yOf(value, yMax)}
                  height={plot.y1 - yOf(value, yMax)}
                >
                  {tip(index, series, value)}
                </rect>
              ) : null,
            )}
          </g>
        ) : (
          <g>
            <path class={`line tone-${series.tone}`} d={linePath(series.values, centre, yMax)} />
            {series.values.map((value, index) =>
              value === null ? null : (
                <circle
                  // A lone value is drawn as a dot; elsewhere the line shows it and the dot is only a hover target.
                  class={isolated(series.values, index) ? `dot tone-${series.tone}` : 'dot hover-target'}
                  cx={centre(index)}
                  cy={yOf(value, yMax)}
                  r={isolated(series.values, index) ? 2.5 : 4}
                >
                  {tip(index, series, value)}
                </circle>
              ),
            )}
          </g>
        ),
      )}
    </ChartFrame>
  );
}

/** A line through the known values, broken where values are missing. */
function linePath(values: Array<number | null>, x: (index: number) => number, yMax: number): string {
  let path = '';
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(index).toFixed(1)} ${yOf(value, yMax).toFixed(1)} `;
    drawing = true;
  });
  return path.trim();
}

function isolated(values: Array<number | null>, index: number): boolean {
  return (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null;
}
