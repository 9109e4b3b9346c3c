import { countOpenFds, readRssBytes } from '../system/proc-stats';

export interface ProcessSample {
  readonly atMs: number;
  readonly rssBytes: number;
  readonly fds: number;
}

/**
 * Samples a process's RSS and open file descriptors every `intervalMs`
 * (pid looked up each time, so a restarted process is followed). Samples
 * that fail (the process is between incarnations) are skipped.
 */
export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly pid: () => number,
    private readonly intervalMs: number,
  ) {}

  start(): this {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The highest RSS among the samples from index `from` on (see {@link mark}). */
  peakRssBytes(from = 0): number {
    return this.samples.slice(from).reduce((peak, sample) => Math.max(peak, sample.rssBytes), 0);
  }

  /** The index the next sample will get, to take a peak over a phase. */
  mark(): number {
    return this.samples.length;
  }

  async sample(): Promise<void> {
    try {
      const pid = this.pid();
      const [rssBytes, fds] = await Promise.all([readRssBytes(pid), countOpenFds(pid)]);
      this.samples.push({ atMs: Date.now() - this.started, rssBytes, fds });
    } catch {
      // Not running right now: nothing to sample.
    }
  }
}
