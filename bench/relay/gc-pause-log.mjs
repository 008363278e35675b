/**
 * Loaded into the bridge and the floor relay by the relay benchmark (`node --import`), never by the
 * service: appends each of the process's garbage-collection pauses to $BENCH_GC_LOG, one per line as
 * `<start> <duration>` in milliseconds since the epoch, so that the benchmark can tell a chunk made late
 * by a pause of a relay's from one made late by anything else. Plain JavaScript: the bridge runs from its
 * bundle, without tsx. Node reports these through the same observer prom-client's GC metric uses.
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const file = process.env.BENCH_GC_LOG;
if (file) {
  new PerformanceObserver((list) => {
    const lines = list
      .getEntries()
      .map((entry) => `${(performance.timeOrigin + entry.startTime).toFixed(3)} ${entry.duration.toFixed(3)}\n`);
    appendFileSync(file, lines.join(''));
  }).observe({ entryTypes: ['gc'] });
}
