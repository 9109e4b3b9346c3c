// How long one page of the history pager takes on a long log: appends
// EVENTS events (10 million by default) in Appends of 10,000, then times
// GET /api/events at the start, the middle and the end of the log.
//
//   npx nx run-many -t build -p eventlog dashboard
//   npx tsx apps/dashboard/src/measure/measure-history.ts [--events 10000000]
import { request } from 'node:http';
import { callUnary, createEventLogClient } from '@hello-es/contracts';
import { spawnEventLog } from '@hello-es/reducer-runtime/testing';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, type SpawnedApp } from '@hello-es/test-support';

const eventsArg = process.argv.indexOf('--events');
const EVENTS = eventsArg > 0 ? Number(process.argv[eventsArg + 1]) : 10_000_000;
const BATCH = 10_000;

function get(address: string, path: string): Promise<string> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, headers: { host: address } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const dataDir = await makeTempDir('dashboard-history-');
  const apps: SpawnedApp[] = [];
  try {
    const logPort = await findFreePort();
    const log = await spawnEventLog({ dataDir, port: logPort });
    apps.push(log);
    const client = createEventLogClient(log.address);
    const values = Array.from({ length: BATCH }, (_, i) => BigInt(i));
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < EVENTS) {
          next += BATCH;
          await callUnary(client.append.bind(client), { values, idempotencyKey: '' }, { timeoutMs: 60_000 });
        }
      }),
    );
    client.close();
    console.log(`appended ${next.toLocaleString('en-US')} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const dashboard = await spawnApp('dashboard', {
      env: { DASHBOARD_LISTEN: '127.0.0.1:0', EVENTLOG_URL: log.address, ADDER_URL: `127.0.0.1:${await findFreePort()}`, MULTIPLIER_URL: `127.0.0.1:${await findFreePort()}`, STATS_URL: `127.0.0.1:${await findFreePort()}` },
    });
    apps.push(dashboard);
    console.log('| page | median of 20 | slowest |');
    console.log('|---|---:|---:|');
    for (const [name, query] of [
      ['from 0', 'from=0&count=20'],
      ['from the middle', `from=${Math.floor(next / 2)}&count=20`],
      ['newest (no from)', 'count=20'],
      ['200 events from the end', `from=${next - 200}&count=200`],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = process.hrtime.bigint();
        const body = JSON.parse(await get(dashboard.address, `/api/events?${query}`)) as { events: unknown[] };
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (body.events.length === 0) throw new Error(`no events for ${query}`);
      }
      times.sort((a, b) => a - b);
      console.log(`| ${name} | ${(times[10] ?? 0).toFixed(1)} ms | ${(times[19] ?? 0).toFixed(1)} ms |`);
    }
  } finally {
    await Promise.all(apps.map((app) => app.kill()));
    await removeTempDir(dataDir);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
