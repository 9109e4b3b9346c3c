import { parseProcStatus, sampleMemory } from './rss';

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in MB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t7\n';
    expect(parseProcStatus(status)).toEqual({ rssMb: 100, peakMb: 200 });
  });

  it('gives nothing when a field is missing (a kernel thread, a zombie)', () => {
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS\n')).toBeUndefined();
  });

  it('samples a live process', async () => {
    const sample = await sampleMemory(process.pid);
    expect(sample.rssMb).toBeGreaterThan(1);
    expect(sample.peakMb).toBeGreaterThanOrEqual(sample.rssMb);
  });
});
