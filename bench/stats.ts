import { readFileSync } from 'node:fs';

/** The value at quantile q (0..1) of the samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const kb = (bytes: number): number => round(bytes / 1024, 1);

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK): 100 on Linux. */
const CLOCK_TICKS = 100;

/**
 * CPU ms (user + system) another process of this machine has used so far, from /proc/<pid>/stat (Linux);
 * NaN where that cannot be read. For this process, process.cpuUsage().
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th
    // and 15th of the line, the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
