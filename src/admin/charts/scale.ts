/** The smallest "round" number (1, 2, 2.5, 5 × 10ⁿ) at or above `value`, so axis ticks read well. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Ticks from 0 to a `niceCeiling` value, at round steps: 2 in fourths, 1, 2.5 and 5 in fifths. */
export function ticks(max: number): number[] {
  const leading = max / 10 ** Math.floor(Math.log10(max));
  const count = Math.abs(leading - 2) < 1e-9 ? 4 : 5;
  return Array.from({ length: count + 1 }, (_, index) => (max * index) / count);
}
