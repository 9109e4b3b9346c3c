// The cost of TLS and tokens on the wire, in one run:
//   npx nx build eventlog && npx tsx apps/eventlog/scripts/measure-tls-cost.ts [seconds=5] [w2Events=1000000]
// Spawns the built event log (memory storage, so fsync does not hide the
// transport) three times: plaintext, TLS, TLS + tokens. W1: appends of one
// value, 64 in flight, for `seconds`. W2: Subscribe from 0 over `w2Events`
// events (filled in appends of 10,000), until caught up.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callUnary, createEventLogClient, type ClientFactoryOptions, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { sha256Of } from '@hello-es/grpc-server';
import { findFreePort, makeTempDir, makeTestCertificates, removeTempDir, spawnApp } from '@hello-es/test-support';

const seconds = Number(process.argv[2] ?? 5);
const w2Events = Number(process.argv[3] ?? 1_000_000);

async function w1(log: EventLogServiceClient): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await callUnary(log.append.bind(log), { values: [1n], idempotencyKey: '' }, { timeoutMs: 10_000 });
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, worker));
  return done / ((performance.now() - started) / 1000);
}

async function w2(log: EventLogServiceClient): Promise<number> {
  const values = Array.from({ length: 10_000 }, () => 1n);
  for (let i = 0; i < w2Events / 10_000; i++) await callUnary(log.append.bind(log), { values, idempotencyKey: '' }, { timeoutMs: 30_000 });
  const started = performance.now();
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const stream = log.subscribe({ fromOffset: 0n, subscriberName: 'tls-cost' });
    stream.on('data', (message: SubscribeResponse) => {
      if (message.kind?.$case === 'events') seen += message.kind.value.events.length;
      if (message.kind?.$case === 'caughtUp') {
        stream.on('error', () => undefined);
        stream.cancel();
        resolve();
      }
    });
    stream.once('error', reject);
  });
  return seen / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const dir = await makeTempDir('tls-cost-');
  try {
    const certs = makeTestCertificates(dir);
    const tokens = join(dir, 'tokens.jsonl');
    writeFileSync(tokens, JSON.stringify({ name: 'bench', roles: ['admin'], sha256: sha256Of('bench-token').toString('hex') }));
    const tls = { TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey };
    const modes: [string, Record<string, string>, ClientFactoryOptions][] = [
      ['plaintext', {}, {}],
      ['TLS', tls, { tls: { caFile: certs.caCert } }],
      ['TLS + token', { ...tls, AUTH_TOKENS_FILE: tokens }, { tls: { caFile: certs.caCert }, token: 'bench-token' }],
    ];
    console.log(`| mode | W1 appends/s (64 in flight, ${seconds} s) | W2 Subscribe from 0 events/s (${w2Events}) |\n|---|---|---|`);
    for (const [name, env, clientOptions] of modes) {
      const port = await findFreePort();
      const app = await spawnApp('eventlog', { env: { ...env, EVENTLOG_LISTEN: `127.0.0.1:${port}`, EVENTLOG_STORAGE: 'memory' } });
      const log = createEventLogClient(`localhost:${port}`, clientOptions);
      try {
        const appends = await w1(log);
        const events = await w2(log);
        console.log(`| ${name} | ${Math.round(appends).toLocaleString('en')} | ${Math.round(events).toLocaleString('en')} |`);
      } finally {
        log.close();
        await app.stop();
      }
    }
  } finally {
    await removeTempDir(dir);
  }
}

void main();
