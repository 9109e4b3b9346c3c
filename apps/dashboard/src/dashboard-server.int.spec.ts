import { request, type IncomingMessage } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { readEventLogConfig, startEventLogServer, type RunningEventLogServer } from '@hello-es/eventlog/testing';
import { findFreePort, makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { readDashboardConfig } from './config';
import { startDashboard, type StartedDashboard } from './start-dashboard';
import type { LogView, ReducerView, SubscriptionsView } from './view-model';

const logger = pino({ level: 'silent' });

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** One HTTP request with exactly the headers given (fetch would not let a test set Host or Origin). */
function call(address: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method: options.method ?? 'GET', headers: { host: address, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An open SSE stream: every update it received, parsed. */
interface Stream {
  readonly updates: Record<string, unknown>[];
  close(): void;
}

function openStream(address: string): Promise<Stream | number> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path: '/api/stream', headers: { host: address } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(res.statusCode ?? 0);
        return;
      }
      const updates: Record<string, unknown>[] = [];
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^event: update\ndata: (.*)$/s.exec(message);
          if (data) updates.push(JSON.parse(data[1] ?? '') as Record<string, unknown>);
        }
      });
      resolve({ updates, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

function latest<T>(stream: Stream, topic: string): T | undefined {
  for (let i = stream.updates.length - 1; i >= 0; i--) if (stream.updates[i]?.[topic] !== undefined) return stream.updates[i]?.[topic] as T;
  return undefined;
}

/** The dashboard in-process against a real in-memory event log; no reducer runs (the adder's address is free). */
describe('dashboard server', () => {
  let publicDir: string;
  let log: RunningEventLogServer | undefined;
  let dashboard: StartedDashboard;
  let token: string;
  const streams: Stream[] = [];

  beforeAll(async () => {
    publicDir = await makeTempDir('dashboard-public-');
    await mkdir(publicDir, { recursive: true });
    await writeFile(join(publicDir, 'index.html'), '<meta name="page-token" content="__PAGE_TOKEN__">');
    for (const file of ['app.js', 'app.js.map', 'style.css', 'uPlot.min.css']) await writeFile(join(publicDir, file), '');
    log = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory', EVENTLOG_SEED: '1,1,1,1,2' }), logger);
    const adderPort = await findFreePort();
    const config = readDashboardConfig(
      { DASHBOARD_LISTEN: '127.0.0.1:0', EVENTLOG_URL: log.address, ADDER_URL: `127.0.0.1:${adderPort}`, DASHBOARD_MAX_PAGES: '3' },
      [{ name: 'adder', listen: '127.0.0.1:1' }],
    );
    dashboard = await startDashboard(config, logger, { publicDir });
    const page = await call(dashboard.address, '/');
    token = /content="([^"]+)"/.exec(page.body)?.[1] ?? '';
  });
  afterAll(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await dashboard?.stop();
    await log?.shutdown();
    await removeTempDir(publicDir);
  });

  async function stream(): Promise<Stream> {
    const opened = await openStream(dashboard.address);
    if (typeof opened === 'number') throw new Error(`stream answered ${opened}`);
    streams.push(opened);
    return opened;
  }

  const append = (body: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    call(dashboard.address, '/api/append', {
      method: 'POST',
      headers: { origin: `http://${dashboard.address}`, 'x-dashboard-token': token, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('serves the page with a fresh token and refuses a Host that is not its own', async () => {
    const page = await call(dashboard.address, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const other = /content="([^"]+)"/.exec(page.body)?.[1];
    expect(other).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(other).not.toBe(token);
    expect((await call(dashboard.address, '/', { headers: { host: `rebound.example:${dashboard.address.split(':')[1]}` } })).status).toBe(421);
  });

  it('streams every topic first, then the head moving after an append, and a reducer that is down without errno text', async () => {
    const sse = await stream();
    await waitFor(() => sse.updates.length > 0, { description: 'the first update' });
    expect(Object.keys(sse.updates[0] ?? {}).sort()).toEqual(['log', 'rate', 'recent', 'reducer:adder', 'reducers', 'server', 'subscriptions']);
    await waitFor(() => latest<LogView>(sse, 'log')?.head === '5', { description: 'head 5' });
    const reply = await append({ values: '3' });
    expect(JSON.parse(reply.body)).toEqual({ ok: true, firstOffset: '5', nextOffset: '6', duplicate: false });
    await waitFor(() => latest<LogView>(sse, 'log')?.head === '6', { description: 'head 6' });
    const adder = await waitFor(() => latest<ReducerView>(sse, 'reducer:adder'), { description: 'the adder' });
    expect(adder).toMatchObject({ connected: false, error: 'UNAVAILABLE: unreachable' });
  });

  /** GetLogInfo's storage and replicas and ListSubscriptions' gateway reach the page (over JetStream: dashboard-jetstream.e2e.spec.ts). */
  it('sends the storage backend, its replicas, and the gateway serving each subscription', async () => {
    const sse = await stream();
    const view = await waitFor(() => latest<LogView>(sse, 'log')?.storage === 'memory' && latest<LogView>(sse, 'log'), { description: 'storage memory' });
    expect(view.replicas).toBe(0);
    const rows = await waitFor(
      () => {
        const own = latest<SubscriptionsView>(sse, 'subscriptions')?.rows.filter((row) => row.name === 'dashboard') ?? [];
        return own.length > 0 && own;
      },
      { description: "the dashboard's own subscription listed" },
    );
    expect(rows.map((row) => row.gateway)).toEqual([log?.address]);
  });

  /** A burst of appends reaches a page as at most a few log updates a second, the last one exact. */
  it('coalesces a burst of appends into a few updates', async () => {
    const sse = await stream();
    await waitFor(() => sse.updates.length > 0, { description: 'the first update' });
    const before = sse.updates.length;
    const head = BigInt(latest<LogView>(sse, 'log')?.head ?? '0');
    const started = Date.now();
    for (let i = 0; i < 50; i++) await append({ values: '1 2 3 4 5' });
    const expected = (head + 250n).toString();
    await waitFor(() => latest<LogView>(sse, 'log')?.head === expected, { description: `head ${expected}` });
    const seconds = (Date.now() - started) / 1000;
    const logUpdates = sse.updates.slice(before).filter((update) => update['log'] !== undefined).length;
    expect(logUpdates).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
  });

  it.each<[string, Record<string, string | null>, number]>([
    ['no Origin', { origin: null }, 403],
    ['a cross-site Origin', { origin: 'https://evil.example' }, 403],
    ['no page token', { 'x-dashboard-token': null }, 403],
    ['a forged page token', { 'x-dashboard-token': 'abc.def' }, 403],
    ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ])('refuses an append with %s', async (_what, overrides, status) => {
    const headers: Record<string, string> = { origin: `http://${dashboard.address}`, 'x-dashboard-token': token, 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
    const reply = await call(dashboard.address, '/api/append', { method: 'POST', headers, body: JSON.stringify({ values: '1' }) });
    expect(reply.status).toBe(status);
  });

  it('answers 400 with INVALID_ARGUMENT for bad integers and bad JSON, and stores nothing', async () => {
    const before = (await call(dashboard.address, '/api/events?count=1')).body;
    expect(JSON.parse((await append({ values: '1 9223372036854775808' })).body)).toEqual({
      ok: false,
      code: 'INVALID_ARGUMENT',
      message: '9223372036854775808 is outside the signed 64-bit range',
    });
    expect((await append('{"values": ')).status).toBe(400);
    expect(JSON.parse((await call(dashboard.address, '/api/events?count=1')).body).head).toBe(JSON.parse(before).head);
  });

  it('pages through history by offset', async () => {
    const page = JSON.parse((await call(dashboard.address, '/api/events?from=3&count=3')).body);
    expect(page.from).toBe('3');
    expect(page.events.map((event: { offset: string; value: string }) => [event.offset, event.value])).toEqual([
      ['3', '1'],
      ['4', '2'],
      ['5', '3'],
    ]);
    expect((await call(dashboard.address, '/api/events?from=-1')).status).toBe(400);
    expect((await call(dashboard.address, '/api/events?count=100000')).status).toBe(400);
  });

  it('serves at most DASHBOARD_MAX_PAGES streams, then 503, and frees the place of a page that left', async () => {
    while (dashboard.pages.size < 3) await stream();
    expect(await openStream(dashboard.address)).toBe(503);
    streams.pop()?.close();
    await waitFor(() => dashboard.pages.size === 2, { description: 'the closed page removed' });
    await stream();
    expect(dashboard.pages.size).toBe(3);
  });

  it('shows the log down at once when it stops, and an append then fails with UNAVAILABLE, no errno text', async () => {
    const sse = streams[0] as Stream;
    await log?.shutdown();
    log = undefined;
    await waitFor(() => latest<LogView>(sse, 'log')?.connected === false, { description: 'log down', timeoutMs: 5_000 });
    expect(latest<LogView>(sse, 'log')?.error).toMatch(/^UNAVAILABLE: (unreachable|server shutting down)$/);
    expect(JSON.parse((await append({ values: '1' })).body)).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'the event log is unreachable' });
  });
});
