import { runPipelined } from './pipelined-window';

describe('runPipelined', () => {
  it('keeps at most `window` operations in flight and runs each exactly once', async () => {
    let inFlight = 0;
    let most = 0;
    const ran: number[] = [];
    await runPipelined(50, 4, (index, finished) => {
      inFlight++;
      most = Math.max(most, inFlight);
      ran.push(index);
      setImmediate(() => {
        inFlight--;
        finished();
      });
    });
    expect(most).toBe(4);
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const ran: number[] = [];
    const run = runPipelined(100, 1, (index, finished) => {
      ran.push(index);
      setImmediate(() => finished(index === 3 ? new Error('append 3 failed') : undefined));
    });
    await expect(run).rejects.toThrow('append 3 failed');
    expect(ran).toEqual([0, 1, 2, 3]);
  });

  it('resolves at once for no operations', async () => {
    await expect(runPipelined(0, 64, () => undefined)).resolves.toBeUndefined();
  });
});
