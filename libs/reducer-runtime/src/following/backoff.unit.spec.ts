import { Backoff, delay } from './backoff';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, with jitter between half and all of it', () => {
    const low = new Backoff(100, 1_000, () => 0);
    expect([1, 2, 3, 4, 5, 6].map(() => low.nextDelayMs())).toEqual([50, 100, 200, 400, 500, 500]);
    const high = new Backoff(100, 1_000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => high.nextDelayMs())).toEqual([100, 200, 400, 800, 1_000]);
    expect(high.attempts).toBe(5);
  });

  it('starts again from the initial delay after a reset', () => {
    const backoff = new Backoff(100, 1_000, () => 1);
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.nextDelayMs()).toBe(100);
  });

  it('stays finite and capped after very many failures', () => {
    const backoff = new Backoff(100, 5_000, () => 0.5);
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = backoff.nextDelayMs();
    expect(last).toBe(3_750);
  });
});

describe('delay', () => {
  it('resolves at once when its signal aborts', async () => {
    const abort = new AbortController();
    const waiting = delay(600_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
