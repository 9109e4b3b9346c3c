import { CpuMeter, parseProcStatCpuMs } from './cpu-time';

describe('parseProcStatCpuMs', () => {
  it('adds utime and stime (ticks of 10 ms), also when the command name has spaces and parentheses', () => {
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 11 0 123 456 789';
    expect(parseProcStatCpuMs(stat)).toBe(1750);
  });

  it('says undefined for a text without the fields', () => {
    expect(parseProcStatCpuMs('4242 (node) S 1')).toBeUndefined();
  });
});

describe('CpuMeter', () => {
  it('charges CPU burnt in this process to the client, per event, and sees the same CPU through /proc', () => {
    const meter = new CpuMeter({ self: process.pid });
    const before = process.cpuUsage();
    // Spin until this process has used 100 ms of CPU (not of wall time: the machine may be busy).
    while (process.cpuUsage(before).user < 100_000) Math.sqrt(Math.random());
    const perEvent = meter.perEvent(1_000);
    expect(perEvent.client).toBeGreaterThanOrEqual(100);
    // /proc counts in 10 ms ticks, sampled: the same 100 ms, give or take.
    expect(perEvent.self).toBeGreaterThanOrEqual(50);
    expect(perEvent.self).toBeLessThan(1_000);
  });
});
