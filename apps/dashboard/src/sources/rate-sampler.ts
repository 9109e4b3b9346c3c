import type { RateView } from '../view-model';

/** Seconds of append rate kept for the chart (5 minutes). */
export const RATE_WINDOW_SECONDS = 300;

/**
 * Turns the head, sampled once a second, into events per second. A second
 * in which the log was unreachable (or its head went back: a new log) is a
 * gap (null), not a zero, so the chart does not claim the log was idle.
 */
export class RateSampler {
  private readonly samples: (number | null)[] = [];
  private previous: bigint | undefined;
  private lastSecond = 0;

  sample(head: bigint | undefined, now: number): RateView {
    let rate: number | null = null;
    if (head !== undefined && this.previous !== undefined && head >= this.previous) rate = Number(head - this.previous);
    this.previous = head;
    this.samples.push(rate);
    if (this.samples.length > RATE_WINDOW_SECONDS) this.samples.shift();
    this.lastSecond = Math.floor(now / 1000) * 1000;
    return this.view();
  }

  view(): RateView {
    return { lastSecond: this.lastSecond, perSecond: [...this.samples] };
  }
}
