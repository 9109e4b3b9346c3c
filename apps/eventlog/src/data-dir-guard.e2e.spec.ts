import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, waitFor, readTree, removeTempDir, runAppUntilExit, spawnApp, type SpawnedApp } from '@hello-es/test-support';
import { readAll } from './testing/event-log-contract';

/**
 * Issue 10: two event logs on one DATA_DIR lost an acknowledged event, and a
 * second event log on a port in use ran recovery before its bind failed.
 * These start the built dist/apps/eventlog/main.js.
 */
describe('one event log per data directory and port', () => {
  const dirs: string[] = [];
  const apps: SpawnedApp[] = [];
  const clients: EventLogServiceClient[] = [];
  const newDir = async (): Promise<string> => {
    const dir = await makeTempDir('eventlog-guard-');
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string): Promise<{ app: SpawnedApp; client: EventLogServiceClient }> => {
    const app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir } });
    apps.push(app);
    const client = createEventLogClient(app.address);
    clients.push(client);
    return { app, client };
  };
  const append = (client: EventLogServiceClient, values: bigint[], idempotencyKey = '') =>
    callUnary(client.append.bind(client), { values, idempotencyKey });
  const values = async (client: EventLogServiceClient): Promise<bigint[]> =>
    (await readAll(client, 0n)).flatMap((message) => message.events.map((event) => event.value));

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const app of apps.splice(0)) await app.kill();
    for (const dir of dirs.splice(0)) await removeTempDir(dir);
  });

  it('refuses a second event log on the same directory, naming it and the holder pid, and changes no byte', async () => {
    const dataDir = await newDir();
    const { app: holder, client } = await start(dataDir);
    await append(client, [1n, 2n], 'first');
    const before = await readTree(dataDir);
    const second = await runAppUntilExit('eventlog', { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    const text = second.output.join('\n');
    expect(text).toContain(`data directory ${join(dataDir, 'eventlog')} is in use by another process (pid ${holder.process.pid})`);
    expect(await readTree(dataDir)).toEqual(before);
    // The holder is unharmed and still the only writer.
    expect(await append(client, [3n])).toMatchObject({ firstOffset: 2n });
    expect(await values(client)).toEqual([1n, 2n, 3n]);
  });

  it('exits 1 naming the port when the port is in use, before reading or changing a file (a torn tail stays)', async () => {
    const dataDir = await newDir();
    const { app: first, client } = await start(dataDir);
    await append(client, [1n, 2n]);
    expect(await first.stop()).toBe(0);
    // A torn tail: recovery would move it to a side file and truncate.
    const eventsLog = join(dataDir, 'eventlog', 'events.log');
    await appendFile(eventsLog, Buffer.alloc(16, 7));
    const before = await readTree(dataDir);
    const { app: portHolder } = await start(await newDir());
    const second = await runAppUntilExit('eventlog', { EVENTLOG_LISTEN: portHolder.address, DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.output.join('\n')).toContain(`EVENTLOG_LISTEN ${portHolder.address}: the port is in use by another process`);
    expect(await readTree(dataDir)).toEqual(before);
  });

  it('with EVENTLOG_ON_TAIL_DAMAGE=refuse, exits 1 on a damaged tail and changes no byte', async () => {
    const dataDir = await newDir();
    const { app: first, client } = await start(dataDir);
    await append(client, [1n, 2n]);
    expect(await first.stop()).toBe(0);
    await appendFile(join(dataDir, 'eventlog', 'events.log'), Buffer.alloc(64));
    const before = await readTree(dataDir);
    const refused = await runAppUntilExit('eventlog', { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir, EVENTLOG_ON_TAIL_DAMAGE: 'refuse' });
    expect(refused.code).toBe(1);
    expect(refused.output.join('\n')).toMatch(/"level":50.*"kind":"torn-write".*EVENTLOG_ON_TAIL_DAMAGE=refuse: not starting/);
    expect(await readTree(dataDir)).toEqual(before);
  });

  it('takes over the lock of an event log killed with -9, with the log intact', async () => {
    const dataDir = await newDir();
    const { app: killed, client } = await start(dataDir);
    const acknowledged = await append(client, [5n, 6n], 'kept');
    await append(client, [7n]);
    await killed.kill();
    expect((await readTree(dataDir)).has(join('eventlog', 'LOCK'))).toBe(true);
    const { app: next, client: after } = await start(dataDir);
    expect(await values(after)).toEqual([5n, 6n, 7n]);
    const takeover = new RegExp(`"deadPid":${killed.process.pid}.*took over the lock`);
    await waitFor(() => takeover.test(next.output.join('\n')), { description: 'the takeover line' });
    expect(await append(after, [5n, 6n], 'kept')).toEqual({ ...acknowledged, duplicate: true });
  });
});
