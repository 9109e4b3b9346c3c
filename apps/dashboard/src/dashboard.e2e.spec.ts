import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, waitFor, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';
import { spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

/** Debian's chromium (installed by .ci/run); playwright never downloads a browser here. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = join(workspaceRoot, 'reports', 'tmp', 'dashboard');
const WAIT_MS = 10_000;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * The page in a real headless Chromium against the real apps as processes:
 * the post's log, an append through the form, exact states (one of them far
 * beyond 64 bits, shortened, then in full), a bad integer refused inline,
 * a reducer killed (the page says "down" within seconds and strikes its
 * state through as stale) and restarted (the page recovers by itself).
 */
describe('dashboard in a browser', () => {
  let dataDir: string;
  let browser: Browser | undefined;
  const apps: SpawnedApp[] = [];

  beforeAll(async () => {
    dataDir = await makeTempDir('dashboard-e2e-');
  });
  afterAll(async () => {
    stopping = true;
    console.log(`steps: ${timings.join(', ')}`);
    await browser?.close();
    browser = undefined;
    await Promise.all(apps.splice(0).map((app) => app.kill()));
    await removeTempDir(dataDir);
  });

  let stopping = false;
  async function track(app: Promise<SpawnedApp>): Promise<SpawnedApp> {
    const started = await app;
    apps.push(started);
    // A start that finished after a timeout's teardown must not outlive the test.
    if (stopping) await started.kill();
    return started;
  }
  const timings: string[] = [];
  let last = Date.now();
  function mark(step: string): void {
    const now = Date.now();
    timings.push(`${step} ${now - last} ms`);
    last = now;
  }

  async function text(page: Page, testId: string): Promise<string> {
    return (await page.getByTestId(testId).textContent()) ?? '';
  }

  /** Waits until the element's text is `expected` (or matches it); fails naming the element and what it last showed. */
  async function waitForText(page: Page, testId: string, expected: string | RegExp, timeoutMs = WAIT_MS): Promise<number> {
    const started = Date.now();
    const matches = (content: string): boolean => (typeof expected === 'string' ? content === expected : expected.test(content));
    try {
      await waitFor(async () => matches(await text(page, testId)), { description: testId, timeoutMs, intervalMs: 50 });
    } catch {
      throw new Error(`[data-testid=${testId}] never showed ${String(expected)}; it shows "${await text(page, testId)}"`);
    }
    return Date.now() - started;
  }

  it('shows the head and both states live, appends from the form, and shows a reducer down and back', async () => {
    const logPort = await findFreePort();
    const adderPort = await findFreePort();
    const multiplierPort = await findFreePort();
    const statsPort = await findFreePort(); // nothing listens there: stats shows "down" throughout
    const adderEnv = { ADDER_LISTEN: `127.0.0.1:${adderPort}` };
    // Every address is fixed up front, so the reducers, the dashboard and the browser start at once, after the log.
    const launching = chromium
      .launch({
        executablePath: CHROMIUM,
        headless: true,
        // As root (CI containers) Chromium refuses to start with its sandbox.
        args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      })
      .then((launched) => (browser = launched));
    await track(spawnEventLog({ dataDir, port: logPort, seed: [1n, 1n, 1n, 1n, 2n] }));
    const [adderStarted, multiplier, dashboard, launched] = await Promise.all([
      track(spawnReducer({ name: 'adder', eventLogPort: logPort, dataDir, env: adderEnv })),
      track(spawnReducer({ name: 'multiplier', eventLogPort: logPort, dataDir, env: { MULTIPLIER_LISTEN: `127.0.0.1:${multiplierPort}` } })),
      track(
        spawnApp('dashboard', {
          env: {
            DASHBOARD_LISTEN: '127.0.0.1:0',
            EVENTLOG_URL: `127.0.0.1:${logPort}`,
            ADDER_URL: `127.0.0.1:${adderPort}`,
            MULTIPLIER_URL: `127.0.0.1:${multiplierPort}`,
            STATS_URL: `127.0.0.1:${statsPort}`,
          },
        }),
      ),
      launching,
    ]);
    let adder = adderStarted;
    mark('apps started');
    const page = await launched.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://${dashboard.address}/`);

    // The post's log: head 5, the adder 6, the multiplier 2.
    await waitForText(page, 'log-head', '5');
    await waitForText(page, 'reducer-value-adder', '6');
    await waitForText(page, 'reducer-value-multiplier', '2');
    await waitForText(page, 'log-status', 'connected');
    await waitForText(page, 'reducer-status-stats', 'down');

    mark('first states shown');
    // The post's POST /push of 3: 9 and 6, and both reducers report having applied it.
    await page.getByTestId('append-values').fill('3');
    await page.getByTestId('append-button').click();
    await waitForText(page, 'append-result', 'appended at offset 5, next offset 6');
    await waitForText(page, 'log-head', '6');
    await waitForText(page, 'reducer-value-adder', '9');
    await waitForText(page, 'reducer-value-multiplier', '6');
    await waitForText(page, 'applied-adder', /^adder: applied \(next offset 6\)/);
    await waitForText(page, 'applied-multiplier', /^multiplier: applied \(next offset 6\)/);
    await waitForText(page, 'reducer-lag-adder', 'caught up');

    mark('append 3 shown');
    // Values at the ends of the 64-bit range stay exact; the product grows far past 64 bits.
    const big = [INT64_MAX, INT64_MAX, INT64_MIN, INT64_MAX];
    await page.getByTestId('append-values').fill(big.join(', '));
    await page.getByTestId('append-key').fill('big-values');
    await page.getByTestId('append-button').click();
    await waitForText(page, 'append-result', 'appended at offsets 6..9, next offset 10');
    const sum = big.reduce((total, value) => total + value, 9n);
    const product = big.reduce((total, value) => total * value, 6n);
    await waitForText(page, 'reducer-value-adder', sum.toString());
    const digits = (-product).toString().length;
    await waitForText(page, 'reducer-digits-multiplier', `${digits} digits (shortened)`);
    const shortened = await text(page, 'reducer-value-multiplier');
    expect(shortened).toBe(`-${(-product).toString().slice(0, 20)}…${(-product).toString().slice(-20)}`);
    await page.getByTestId('reducer-show-all-multiplier').click();
    await waitForText(page, 'reducer-value-multiplier', product.toString());

    mark('big values shown');
    // A product of thousands of digits: shortened with its digit count, exact in full on demand.
    const many = Array.from({ length: 200 }, () => INT64_MAX);
    await page.getByTestId('append-key').fill('');
    await page.getByTestId('append-values').fill(many.join(' '));
    await page.getByTestId('append-button').click();
    await waitForText(page, 'append-result', 'appended at offsets 10..209, next offset 210');
    const bigSum = many.reduce((total, value) => total + value, sum);
    const bigProduct = many.reduce((total, value) => total * value, product);
    await waitForText(page, 'reducer-value-adder', bigSum.toString());
    await waitForText(page, 'reducer-digits-multiplier', `${(-bigProduct).toString().length} digits (shortened)`);
    await page.getByTestId('reducer-show-all-multiplier').click();
    await waitForText(page, 'reducer-value-multiplier', bigProduct.toString());
    expect((-bigProduct).toString().length).toBeGreaterThan(3_000);
    mark('thousands of digits shown');

    // The same key again is a duplicate; an integer beyond 64 bits is refused inline.
    await page.getByTestId('append-key').fill('big-values');
    await page.getByTestId('append-values').fill(big.join(', '));
    await page.getByTestId('append-button').click();
    await waitForText(page, 'append-result', 'appended at offsets 6..9 (duplicate: stored before), next offset 10');
    await page.getByTestId('append-key').fill('');
    await page.getByTestId('append-values').fill('9223372036854775808');
    await page.getByTestId('append-button').click();
    await waitForText(page, 'append-result', 'INVALID_ARGUMENT: 9223372036854775808 is outside the signed 64-bit range');
    await waitForText(page, 'log-head', '210');

    mark('duplicate and refusal shown');
    // A fresh page gets every current value in its first message (and the multiplier shortened again).
    await page.reload();
    await waitForText(page, 'reducer-value-adder', bigSum.toString());
    await waitForText(page, 'reducer-digits-multiplier', `${(-bigProduct).toString().length} digits (shortened)`);
    await waitForText(page, 'log-head', '210');

    // Kill the adder: "down" within seconds, its last state struck through as stale.
    await adder.kill();
    const downAfterMs = await waitForText(page, 'reducer-status-adder', 'down', 5_000);
    await waitForText(page, 'reducer-stale-adder', /^stale: last state seen/);
    expect(await page.getByTestId('reducer-adder').getAttribute('class')).toContain('stale');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'adder-down.png'), fullPage: true });

    mark('adder down shown');
    // Restart it on the same address: the page recovers by itself.
    adder = await track(spawnReducer({ name: 'adder', eventLogPort: logPort, dataDir, env: adderEnv }));
    const upAfterMs = await waitForText(page, 'reducer-status-adder', 'connected');
    await waitForText(page, 'reducer-value-adder', bigSum.toString());
    await waitForText(page, 'reducer-lag-adder', 'caught up');
    expect(await text(page, 'reducer-stale-adder')).toBe('');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png'), fullPage: true });

    mark('adder back shown');

    // A multiplier that stops answering but keeps its connection (SIGSTOP): down within seconds, back on SIGCONT.
    multiplier.process.kill('SIGSTOP');
    const silentAfterMs = await waitForText(page, 'reducer-status-multiplier', 'down', 8_000);
    await waitForText(page, 'reducer-stale-multiplier', /^stale: last state seen/);
    multiplier.process.kill('SIGCONT');
    await waitForText(page, 'reducer-status-multiplier', 'connected');
    await waitForText(page, 'reducer-digits-multiplier', `${(-bigProduct).toString().length} digits (shortened)`);
    mark('multiplier stopped and continued');
    expect(pageErrors).toEqual([]);
    // Recorded for the report: how fast the page noticed.
    console.log(`adder down shown after ${downAfterMs} ms, back after ${upAfterMs} ms; stopped multiplier down after ${silentAfterMs} ms`);
  }, 150_000);
});
