import type { Child } from 'hono/jsx';
import { ticks } from './scale.js';

/** One coordinate system for every chart: a 640×190 viewBox scaled to its container's width. */
export const frame = { width: 640, height: 190, left: 46, right: 10, top: 10, bottom: 24 } as const;
export const plot = {
  x0: frame.left,
  x1: frame.width - frame.right,
  y0: frame.top,
  y1: frame.height - frame.bottom,
  get width() {
    return this.x1 - this.x0;
  },
  get height() {
    return this.y1 - this.y0;
  },
};

export function yOf(value: number, yMax: number): number {
  return plot.y1 - (Math.min(value, yMax) / yMax) * plot.height;
}

export interface XLabel {
  x: number;
  text: string;
  /** A time the client script rewrites in the browser's zone. */
  clock?: number | undefined;
}

/** Grid lines, the y axis's values and the x axis's labels around a chart's marks. */
export function ChartFrame(props: {
  label: string;
  yMax: number;
  format: (value: number) => string;
  xLabels: XLabel[];
  children: Child;
}) {
  return (
    <svg class="chart" viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-label={props.label}>
      {ticks(props.yMax).map((tick) => {
        const y = yOf(tick, props.yMax);
        return (
          <g>
            <line class="grid-line" x1={plot.x0} x2={plot.x1} y1={y} y2={y} />
            <text x={plot.x0 - 6} y={y + 3} text-anchor="end">
              {props.format(tick)}
            </text>
          </g>
        );
      })}
      <line class="axis-line" x1={plot.x0} x2={plot.x1} y1={plot.y1} y2={plot.y1} />
      {props.xLabels.map((label) => (
        <text x={label.x} y={frame.height - 8} text-anchor="middle" data-clock={label.clock}>
          {label.text}
        </text>
      ))}
      {props.children}
    </svg>
  );
}
