import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNatsServer, type NatsFixture } from '@hello-es/eventlog/testing';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, waitFor, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = join(workspaceRoot, 'reports', 'tmp', 'dashboard');
const WAIT_MS = 15_000;

/**
 * The dashboard over the JetStream backend (issue 13): two gateways over one
 * stream on a single nats-server started here, the dashboard on gateway A
 * and the adder on gateway B. The page names the backend and its replicas,
 * and the subscriptions table (gateway A's ListSubscriptions, which lists
 * every gateway's) says which gateway serves each subscription.
 */
describe('dashboard over JetStream gateways, in a browser', () => {
  let nats: NatsFixture | undefined;
  let dataDir: string;
  let browser: Browser | undefined;
  const apps: SpawnedApp[] = [];

  beforeAll(async () => {
    dataDir = await makeTempDir('dashboard-js-e2e-');
  });
  afterAll(async () => {
    stopping = true;
    console.log(`steps: ${timings.join(', ')}`);
    await browser?.close();
    await Promise.all(apps.splice(0).map((app) => app.kill()));
    await nats?.stop();
    await removeTempDir(dataDir);
  });

  const timings: string[] = [];
  let last = Date.now();
  function mark(step: string): void {
    const now = Date.now();
    timings.push(`${step} ${now - last} ms`);
    last = now;
  }

  let stopping = false;
  async function track(app: Promise<SpawnedApp>): Promise<SpawnedApp> {
    const started = await app;
    apps.push(started);
    // A start that finished after a failure's teardown must not outlive the test (it would keep jest from exiting).
    if (stopping) await started.kill();
    return started;
  }
  /** Starting gateways over NATS takes seconds, and much longer on a loaded machine. */
  const START_TIMEOUT_MS = 40_000;

  /** The subscriptions table as "name gateway" lines, sorted. */
  async function subscriptionLines(page: Page): Promise<string> {
    const header = await page.getByTestId('subscriptions-head').locator('th').allTextContents();
    const gatewayColumn = header.indexOf('gateway');
    if (gatewayColumn < 0) return `no gateway column (${header.join(', ')})`;
    const rows = await Promise.all((await page.getByTestId('subscriptions').locator('tr').all()).map((row) => row.locator('td').allTextContents()));
    return rows
      .map((cells) => `${cells[0] ?? ''} ${cells[gatewayColumn] ?? ''}`)
      .sort()
      .join('\n');
  }

  it('shows storage "jetstream" with its replicas, and the gateway of each subscription', async () => {
    const launching = chromium
      .launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] })
      .then((launched) => (browser = launched));
    last = Date.now();
    nats = await startNatsServer();
    mark('nats-server started');
    const [portA, portB, adderPort, nobody] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
    const gatewayEnv = { EVENTLOG_STORAGE: 'jetstream', NATS_URL: nats.url, NATS_STREAM: 'DASHBOARD_E2E', NATS_CONNECT_TIMEOUT_SECONDS: '20' };
    // A first, so that one gateway creates the stream; B finds it.
    await track(spawnApp('eventlog', { env: { ...gatewayEnv, EVENTLOG_LISTEN: `127.0.0.1:${portA}` }, startTimeoutMs: START_TIMEOUT_MS }));
    mark('gateway A started');
    const [, , dashboard, launched] = await Promise.all([
      track(spawnApp('eventlog', { env: { ...gatewayEnv, EVENTLOG_LISTEN: `127.0.0.1:${portB}` }, startTimeoutMs: START_TIMEOUT_MS })),
      track(
        spawnApp('adder', {
          startTimeoutMs: START_TIMEOUT_MS,
          env: { ADDER_LISTEN: `127.0.0.1:${adderPort}`, EVENTLOG_URL: `127.0.0.1:${portB}`, DATA_DIR: dataDir, REDUCER_BACKOFF_MAX_MS: '200' },
        }),
      ),
      track(
        spawnApp('dashboard', {
          startTimeoutMs: START_TIMEOUT_MS,
          env: {
            DASHBOARD_LISTEN: '127.0.0.1:0',
            EVENTLOG_URL: `127.0.0.1:${portA}`,
            ADDER_URL: `127.0.0.1:${adderPort}`,
            MULTIPLIER_URL: `127.0.0.1:${nobody}`,
            STATS_URL: `127.0.0.1:${nobody}`,
          },
        }),
      ),
      launching,
    ]);
    mark('gateway B, adder, dashboard, browser started');
    const page = await launched.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://${dashboard.address}/`);

    await waitFor(async () => (await page.getByTestId('log-storage').textContent()) === 'jetstream', { description: 'storage jetstream', timeoutMs: WAIT_MS, intervalMs: 50 });
    expect(await page.getByTestId('log-replicas').textContent()).toBe('1');
    mark('storage shown');
    // The adder's subscription is on gateway B, shared with A within about a second.
    const expected = [`adder 127.0.0.1:${portB}`, `dashboard 127.0.0.1:${portA}`].join('\n');
    try {
      await waitFor(async () => (await subscriptionLines(page)) === expected, { description: 'both gateways listed', timeoutMs: WAIT_MS, intervalMs: 100 });
    } catch {
      throw new Error(`the subscriptions table never showed\n${expected}\nit shows\n${await subscriptionLines(page)}`);
    }
    mark('gateways shown');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'jetstream.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
