import { describe, expect, it } from 'vitest';
import { parseCpuTimes, readCpuTimes, stealBetween } from '../bench/relay/cpu-steal.js';

// The relay benchmark reports how much CPU time the hypervisor took during its timed phases.
describe('benchmark: CPU steal', () => {
  const procStat = (user: number, idle: number, steal: number) =>
    [`cpu  ${user} 4 ${user / 5} ${idle} 20 0 6 ${steal} 0 0`, 'cpu0 1 2 3 4 5 6 7 8 0 0', 'intr 12345 0 0'].join('\n');

  it('reads the machine-wide line of /proc/stat, not a single CPU’s', () => {
    expect(parseCpuTimes(procStat(1000, 5000, 300))).toEqual({ busy: 1000 + 4 + 200 + 6, idle: 5020, steal: 300 });
  });

  it('gives the share taken of all time and of the time a CPU was wanted', () => {
    const before = parseCpuTimes(procStat(1000, 5000, 300));
    // 500 + 100 busy ticks (user, system), 300 idle, 100 stolen.
    const after = parseCpuTimes(procStat(1500, 5300, 400));
    const steal = stealBetween(before, after)!;
    expect(steal.ofAll).toBeCloseTo(100 / 1000);
    expect(steal.ofWanted).toBeCloseTo(100 / 700);
  });

  it('says nothing rather than a wrong figure when a reading is missing or no time passed', () => {
    const reading = parseCpuTimes(procStat(1000, 5000, 300));
    expect(parseCpuTimes('intr 1 2 3')).toBeUndefined();
    expect(parseCpuTimes('cpu  1 2 three 4 5 6 7 8')).toBeUndefined();
    expect(stealBetween(undefined, reading)).toBeUndefined();
    expect(stealBetween(reading, reading)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this machine’s counters, which only grow', () => {
    const first = readCpuTimes()!;
    const second = readCpuTimes()!;
    expect(first.busy + first.idle).toBeGreaterThan(0);
    expect(second.busy).toBeGreaterThanOrEqual(first.busy);
    expect(second.steal).toBeGreaterThanOrEqual(first.steal);
  });
});
