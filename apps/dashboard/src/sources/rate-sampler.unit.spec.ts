import { RATE_WINDOW_SECONDS, RateSampler } from './rate-sampler';

describe('rate sampler', () => {
  it('turns head samples into events per second, with gaps where the log was down or restarted', () => {
    const sampler = new RateSampler();
    sampler.sample(100n, 1_000);
    sampler.sample(350n, 2_000);
    sampler.sample(undefined, 3_000);
    sampler.sample(400n, 4_000);
    sampler.sample(450n, 5_000);
    const view = sampler.sample(10n, 6_500);
    expect(view).toEqual({ lastSecond: 6_000, perSecond: [null, 250, null, null, 50, null] });
  });

  it('keeps five minutes of samples, no more', () => {
    const sampler = new RateSampler();
    let view = sampler.view();
    for (let second = 0; second < RATE_WINDOW_SECONDS + 50; second++) view = sampler.sample(BigInt(second * 10), second * 1000);
    expect(view.perSecond).toHaveLength(RATE_WINDOW_SECONDS);
    expect(view.perSecond.every((rate) => rate === 10)).toBe(true);
  });
});
