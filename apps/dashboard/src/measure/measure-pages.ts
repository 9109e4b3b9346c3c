// What pages cost the dashboard and whether they slow the log, under W1 load
// (single-value Appends, 64 in flight): phases with 0, 1 and 100 open pages
// (SSE streams read by this process), each measured over the same time.
//
//   npx nx build dashboard eventlog adder multiplier
//   npx tsx apps/dashboard/src/measure/measure-pages.ts [--seconds 10]
import { request } from 'node:http';
import { callUnary, createEventLogClient } from '@hello-es/contracts';
import { spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, type SpawnedApp } from '@hello-es/test-support';
import { processUsage } from './process-usage';

const IN_FLIGHT = 64;
const secondsArg = process.argv.indexOf('--seconds');
const PHASE_SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 10;

interface Page {
  bytes: number;
  messages: number;
  close(): void;
}

function openPage(address: string): Promise<Page> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path: '/api/stream', headers: { host: address } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      const page: Page = { bytes: 0, messages: 0, close: () => req.destroy() };
      res.on('data', (chunk: Buffer) => {
        page.bytes += chunk.length;
        for (let i = chunk.indexOf('event: update'); i >= 0; i = chunk.indexOf('event: update', i + 1)) page.messages += 1;
      });
      resolve(page);
    });
    req.on('error', reject);
    req.end();
  });
}

async function phase(name: string, pageCount: number, log: SpawnedApp, dashboard: SpawnedApp, logAddress: string): Promise<string> {
  const pages = await Promise.all(Array.from({ length: pageCount }, () => openPage(dashboard.address)));
  const client = createEventLogClient(logAddress);
  const logBefore = processUsage(log.process.pid ?? 0);
  const dashBefore = processUsage(dashboard.process.pid ?? 0);
  let appended = 0;
  let peakRss = 0;
  const started = Date.now();
  const deadline = started + PHASE_SECONDS * 1000;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, processUsage(dashboard.process.pid ?? 0).rssBytes)), 200);
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < deadline) {
        await callUnary(client.append.bind(client), { values: [1n], idempotencyKey: '' }, { timeoutMs: 10_000 });
        appended += 1;
      }
    }),
  );
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  const logAfter = processUsage(log.process.pid ?? 0);
  const dashAfter = processUsage(dashboard.process.pid ?? 0);
  const messages = pages.reduce((total, page) => total + page.messages, 0);
  const bytes = pages.reduce((total, page) => total + page.bytes, 0);
  for (const page of pages) page.close();
  client.close();
  const cpu = (before: number, after: number): string => `${(((after - before) / elapsed) * 100).toFixed(1)}%`;
  return [
    `| ${name}`,
    `${Math.round(appended / elapsed).toLocaleString('en-US')}`,
    cpu(logBefore.cpuSeconds, logAfter.cpuSeconds),
    cpu(dashBefore.cpuSeconds, dashAfter.cpuSeconds),
    `${(peakRss / 1e6).toFixed(1)} MB`,
    pageCount ? `${(messages / pageCount / elapsed).toFixed(1)}/s, ${Math.round(bytes / pageCount / elapsed).toLocaleString('en-US')} B/s |` : '– |',
  ].join(' | ');
}

async function main(): Promise<void> {
  const dataDir = await makeTempDir('dashboard-measure-');
  const apps: SpawnedApp[] = [];
  try {
    const logPort = await findFreePort();
    const log = await spawnEventLog({ dataDir, port: logPort });
    apps.push(log);
    const adder = await spawnReducer({ name: 'adder', eventLogPort: logPort, dataDir });
    const multiplier = await spawnReducer({ name: 'multiplier', eventLogPort: logPort, dataDir });
    apps.push(adder, multiplier);
    const dashboard = await spawnApp('dashboard', {
      env: {
        DASHBOARD_LISTEN: '127.0.0.1:0',
        EVENTLOG_URL: log.address,
        ADDER_URL: adder.address,
        MULTIPLIER_URL: multiplier.address,
        STATS_URL: `127.0.0.1:${await findFreePort()}`,
        DASHBOARD_MAX_PAGES: '200',
      },
    });
    apps.push(dashboard);
    const rows = [];
    for (const [name, count] of [['0 pages', 0], ['1 page', 1], ['100 pages', 100], ['0 pages again', 0]] as const) {
      rows.push(await phase(name, count, log, dashboard, log.address));
    }
    console.log(`W1 (single-value Appends, ${IN_FLIGHT} in flight), ${PHASE_SECONDS} s per phase, adder and multiplier following:\n`);
    console.log('| phase | appends/s | eventlog CPU | dashboard CPU | dashboard peak RSS | per page |');
    console.log('|---|---:|---:|---:|---:|---|');
    for (const row of rows) console.log(row);
  } finally {
    await Promise.all(apps.map((app) => app.kill()));
    await removeTempDir(dataDir);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
