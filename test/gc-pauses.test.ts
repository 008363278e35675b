import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explainLate, readPauses } from '../bench/relay/gc-pauses.js';

// The relay benchmark's account of late chunks: which process paused while each was on its way.
describe('benchmark: garbage-collection pauses behind late chunks', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  it('logs a process’s pauses on the wall clock when loaded with --import', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gc-pauses-'));
    directories.push(directory);
    const log = join(directory, 'gc.log');
    const before = Date.now();
    execFileSync(
      process.execPath,
      ['--expose-gc', '--import', './bench/relay/gc-pause-log.mjs', '-e', 'gc(); gc(); setTimeout(() => {}, 50)'],
      { env: { PATH: process.env.PATH ?? '', BENCH_GC_LOG: log } },
    );
    const after = Date.now();

    const pauses = readPauses(log);
    expect(pauses.length).toBeGreaterThanOrEqual(2);
    for (const pause of pauses) {
      expect(pause.start).toBeGreaterThanOrEqual(before - 1);
      expect(pause.end).toBeLessThanOrEqual(after + 1);
      expect(pause.end).toBeGreaterThan(pause.start);
    }
  });

  it('reads no pauses from a process that never wrote its log', () => {
    expect(readPauses(join(tmpdir(), 'gc-pauses-never-written.log'))).toEqual([]);
  });

  it('puts each late chunk down to the first process that paused on its way, or to neither', () => {
    const relay = [{ start: 100, end: 108 }];
    const benchmark = [
      { start: 104, end: 106 },
      { start: 300, end: 302 },
    ];
    const late = [
      { start: 101, end: 110 }, // both paused: the relay, named first, takes it
      { start: 299, end: 305 }, // only the benchmark
      { start: 500, end: 507 }, // nobody: the machine
      { start: 108, end: 120 }, // starts as the relay's pause ends: not overlapped by it
    ];

    expect(explainLate(late, { relay, benchmark })).toEqual({ relay: 1, benchmark: 1, unexplained: 2 });
  });
});
