import { existsSync, readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** A stretch of wall-clock time, in milliseconds since the epoch: one process's pause, or a chunk's way. */
export interface Span {
  start: number;
  end: number;
}

/** The pauses a relay's process wrote with `gc-pause-log.mjs`. */
export function readPauses(file: string): Span[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, duration] = line.split(' ').map(Number);
      return { start: start!, end: start! + duration! };
    });
}

/** `performance.now()` of this process as milliseconds since the epoch, the clock the pause logs share. */
export const epoch = (now: number) => performance.timeOrigin + now;

/** This process's own pauses (the client's and the fake model's), from now until `stop()`. */
export function watchOwnPauses(): { pauses: Span[]; stop(): void } {
  const pauses: Span[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const start = epoch(entry.startTime);
      pauses.push({ start, end: start + entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { pauses, stop: () => observer.disconnect() };
}

/**
 * What each late chunk's way (the model's write to the client's read) overlapped: a pause of the
 * named process's, first match in `sources`' order, or none of them (the machine itself, or a pause
 * Node does not report, such as a step of incremental marking).
 */
export function explainLate(late: Span[], sources: Record<string, Span[]>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(sources).map((name) => [name, 0]));
  counts.unexplained = 0;
  for (const chunk of late) {
    const cause = Object.entries(sources).find(([, pauses]) =>
      pauses.some((pause) => pause.start < chunk.end && pause.end > chunk.start),
    );
    counts[cause ? cause[0] : 'unexplained']! += 1;
  }
  return counts;
}
