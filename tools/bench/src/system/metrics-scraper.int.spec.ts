import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@hello-es/test-support';
import { MetricsScraper } from './metrics-scraper';

/** The metrics-on rows only mean something if the scraper really reads every app's /metrics. */
describe('MetricsScraper', () => {
  let server: Server;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.end('hello_es_eventlog_head 1\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scrapes /metrics of every registered port each second, and counts a port that does not answer as failed', async () => {
    const ports: number[] = [];
    const scraper = new MetricsScraper(ports);
    try {
      // Registered after the scraper started, as the apps do while they come up.
      ports.push((server.address() as AddressInfo).port);
      await waitFor(() => scraper.scrapes >= 2, { description: 'two scrapes', timeoutMs: 10_000 });
      expect(paths.every((path) => path === '/metrics')).toBe(true);
      ports.push(1); // nothing listens on port 1
      await waitFor(() => scraper.failures >= 1, { description: 'a failed scrape', timeoutMs: 10_000 });
    } finally {
      scraper.stop();
    }
  });
});
