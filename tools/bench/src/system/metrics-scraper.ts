/** How often Prometheus would scrape (its common default is 15 s; 1 s makes the cost visible). */
const SCRAPE_INTERVAL_MS = 1_000;
const SCRAPE_TIMEOUT_MS = 2_000;

/**
 * Scrapes `http://127.0.0.1:PORT/metrics` of every port in `ports` once a
 * second (the array may grow while it runs: the apps register as they
 * start), reading each body whole as Prometheus does.
 */
export class MetricsScraper {
  scrapes = 0;
  failures = 0;
  private readonly timer: NodeJS.Timeout;
  private running = false;

  constructor(private readonly ports: readonly number[]) {
    this.timer = setInterval(() => void this.scrapeAll(), SCRAPE_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async scrapeAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await Promise.all(
        this.ports.map(async (port) => {
          try {
            const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
            await response.text();
            if (response.ok) this.scrapes += 1;
            else this.failures += 1;
          } catch {
            this.failures += 1;
          }
        }),
      );
    } finally {
      this.running = false;
    }
  }
}
