import { processCpuMs } from '../../bench/stats';

/** Spins until this process has used `ms` more CPU, by its own account. */
function burn(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe('processCpuMs', () => {
  it('reads a process’s CPU from /proc as process.cpuUsage counts it (to the clock tick)', () => {
    const before = processCpuMs(process.pid);
    const own = process.cpuUsage();
    burn(200);
    const used = process.cpuUsage(own);
    const grew = processCpuMs(process.pid) - before;
    // /proc counts in 10 ms ticks: within two of them
    expect(Math.abs(grew - (used.user + used.system) / 1000)).toBeLessThanOrEqual(20);
  });

  it('is NaN for a process that is not there', () => {
    expect(processCpuMs(2 ** 31 - 1)).toBeNaN();
  });
});
