import { startLivenessProbe } from './liveness-probe';

describe('liveness probe', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says a connected server that stopped answering is silent, and leaves a server that answers alone', async () => {
    let answering = true;
    let connected = true;
    const silent = jest.fn(() => (connected = false));
    const probe = jest.fn(() => (answering ? Promise.resolve() : Promise.reject(new Error('DEADLINE_EXCEEDED'))));
    const stop = startLivenessProbe(probe, () => connected, silent, 1_000);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(silent).not.toHaveBeenCalled();
    answering = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(silent).toHaveBeenCalledTimes(1);
    // Not probed while down: the stream's reconnect says when it is back.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(probe).toHaveBeenCalledTimes(4);
    stop();
  });

  it('keeps one probe in flight at most', async () => {
    const probe = jest.fn(() => new Promise<void>(() => undefined));
    const stop = startLivenessProbe(probe, () => true, () => undefined, 1_000);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probe).toHaveBeenCalledTimes(1);
    stop();
  });
});
