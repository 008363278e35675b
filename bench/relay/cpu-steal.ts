import { readFileSync } from 'node:fs';

/**
 * The machine's CPU time in clock ticks, summed over its CPUs, from the first line of Linux's `/proc/stat`.
 * `steal` is time a virtual CPU had work to run but the hypervisor ran someone else's: on a shared
 * virtual machine it is the drift every latency figure carries and no code of ours can remove.
 */
export interface CpuTimes {
  busy: number;
  idle: number;
  steal: number;
}

/** What the hypervisor took between two readings. */
export interface Steal {
  /** Of all CPU time, as `top`'s `st` column shows it. */
  ofAll: number;
  /** Of the time something on the machine wanted a CPU (busy + steal): how much of it went elsewhere. */
  ofWanted: number;
}

/** The `cpu` line's fields: user nice system idle iowait irq softirq steal (guest time is inside user). */
export function parseCpuTimes(procStat: string): CpuTimes | undefined {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number);
  if (!fields || fields.length < 8 || fields.some((field) => !Number.isFinite(field))) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** Now, or `undefined` where there is no `/proc/stat` (not Linux). */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseCpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export function stealBetween(before: CpuTimes | undefined, after: CpuTimes | undefined): Steal | undefined {
  if (!before || !after) return undefined;
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  const steal = after.steal - before.steal;
  const all = busy + idle + steal;
  if (all <= 0) return undefined;
  return { ofAll: steal / all, ofWanted: busy + steal > 0 ? steal / (busy + steal) : 0 };
}

/** Runs `phase` and says what the hypervisor took meanwhile. */
export async function withSteal<T>(phase: () => Promise<T>): Promise<{ result: T; steal: Steal | undefined }> {
  const before = readCpuTimes();
  const result = await phase();
  return { result, steal: stealBetween(before, readCpuTimes()) };
}
