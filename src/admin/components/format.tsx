/** How the console writes numbers and times. Times are rendered in UTC; the client script localizes them. */

/** `850 ms`, `1.25 s`, `12.5 s`, `2 min 5 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${trimmed(ms / 1000, Math.abs(ms) < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `5.3%`, `80%`, `100%`. */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${trimmed(rate * 100, 1)}%`;
}

/** Counts as they are, rates per minute to two places at most. */
export function formatCount(value: number): string {
  return trimmed(value, value < 10 ? 2 : 1);
}

/** A number to at most `digits` decimals, without trailing zeros. */
function trimmed(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** `2026-01-02 10:00:05` in UTC. */
export function utcText(at: number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** A time the client script shows in the browser's zone (`clock`: hours and minutes only). */
export function Time(props: { at: number | null | undefined; format?: 'clock' }) {
  if (props.at === null || props.at === undefined) return <span class="muted">—</span>;
  const text = props.format === 'clock' ? utcText(props.at).slice(11, 16) : utcText(props.at);
  return (
    <time datetime={new Date(props.at).toISOString()} data-format={props.format}>
      {text}
    </time>
  );
}

export function JsonBlock(props: { value: unknown }) {
  return <pre class="json">{prettyJson(props.value)}</pre>;
}

/** JSON text (a stored request) pretty-printed when it parses, else shown as it is. */
function prettyJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? '';
}
