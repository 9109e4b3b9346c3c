import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { readEventLogConfig } from './config';
import { FileLogStore } from './store/file/file-log-store';
import { startEventLogServer, type RunningEventLogServer } from './event-log-server';
import { readAll, statusOf } from './testing/event-log-contract';
import { FaultyFileLayer, type StorageFault } from './testing/faulty-file-layer';

describe.each<StorageFault>(['disk-full', 'fsync-error', 'short-write'])('Append under the storage fault %s', (fault) => {
  let dataDir: string;
  let server: RunningEventLogServer;
  let client: EventLogServiceClient;
  const layer = new FaultyFileLayer();

  beforeEach(async () => {
    dataDir = await makeTempDir('eventlog-faults-');
    layer.clear();
    const logger = pino({ level: 'silent' });
    const store = await FileLogStore.open({ dir: join(dataDir, 'eventlog'), logger, fileLayer: layer });
    server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir }), logger, { store });
    client = createEventLogClient(server.address);
  });
  afterEach(async () => {
    client.close();
    await server.shutdown();
    await removeTempDir(dataDir);
  });

  it('answers UNAVAILABLE with the cause, shows nothing partial, serves reads and recovers', async () => {
    const append = (values: bigint[]) => callUnary(client.append.bind(client), { values, idempotencyKey: 'k-' + values.join() });
    await append([1n]);
    layer.set(fault);
    const outcome = await statusOf(append([2n, 3n]));
    expect(outcome.code).toBe(status.UNAVAILABLE);
    expect(outcome.details).toMatch(/^storage failure: /);
    // The cause (errno, file) is for the server's log, not for clients.
    expect(outcome.details).not.toMatch(/ENOSPC|EIO|short write|events\.log|keys\.log/);
    expect((await callUnary(client.getLogInfo.bind(client), {})).nextOffset).toBe(1n);
    expect((await readAll(client, 0n)).flatMap((message) => message.events.map((event) => event.value))).toEqual([1n]);
    layer.clear();
    expect(await append([2n, 3n])).toEqual({ firstOffset: 1n, nextOffset: 3n, duplicate: false });
  });
});
