import { status, type Client } from '@grpc/grpc-js';
import pino from 'pino';
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { callProtoLoaderUnary, createProtoLoaderClient } from '@hello-es/test-support';
import { readEventLogConfig } from './config';
import { startEventLogServer, type RunningEventLogServer } from './event-log-server';
import { readAll } from './testing/event-log-contract';

type LoosePending = Client & { Read(request: object): NodeJS.EventEmitter };

function loadIndependentClient(address: string): LoosePending {
  return createProtoLoaderClient<LoosePending>('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', address);
}

function call(client: LoosePending, method: 'Append' | 'GetLogInfo', request: object): Promise<Record<string, unknown>> {
  return callProtoLoaderUnary(client, method, request);
}

function readLoose(client: LoosePending, request: object): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const events: Record<string, unknown>[] = [];
    const stream = client.Read(request);
    stream.on('data', (message: { events: Record<string, unknown>[] }) => events.push(...message.events));
    stream.on('error', reject);
    stream.on('end', () => resolve(events));
  });
}

/**
 * Proves the wire contract: a client built from the .proto by proto-loader
 * (no generated code) gets the same answers as the generated client.
 */
describe('the wire contract', () => {
  let server: RunningEventLogServer;
  let loose: LoosePending;
  let generated: EventLogServiceClient;

  beforeEach(async () => {
    server = await startEventLogServer(
      readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory' }),
      pino({ level: 'silent' }),
    );
    loose = loadIndependentClient(server.address);
    generated = createEventLogClient(server.address);
  });
  afterEach(async () => {
    loose.close();
    generated.close();
    await server.shutdown();
  });

  it('gives a proto-loader client the same answers as the generated client', async () => {
    expect(await call(loose, 'Append', { values: ['5', '-9223372036854775808'] })).toEqual({
      first_offset: '0',
      next_offset: '2',
      duplicate: false,
    });
    const viaGenerated = await callUnary(generated.append.bind(generated), { values: [7n], idempotencyKey: 'x' });
    expect(await call(loose, 'Append', { values: ['7'], idempotency_key: 'x' })).toEqual({
      first_offset: viaGenerated.firstOffset.toString(),
      next_offset: viaGenerated.nextOffset.toString(),
      duplicate: true,
    });
    const info = await callUnary(generated.getLogInfo.bind(generated), {});
    expect(await call(loose, 'GetLogInfo', {})).toEqual({ log_id: info.logId, next_offset: '3', storage: 'memory', replicas: 0 });

    const looseEvents = await readLoose(loose, { from_offset: '0', max_count: '0' });
    const generatedEvents = (await readAll(generated, 0n)).flatMap((message) => message.events);
    expect(looseEvents.map((event) => [event['offset'], event['value']])).toEqual([
      ['0', '5'],
      ['1', '-9223372036854775808'],
      ['2', '7'],
    ]);
    expect(generatedEvents.map((event) => [event.offset.toString(), event.value.toString()])).toEqual(
      looseEvents.map((event) => [event['offset'], event['value']]),
    );
    const time = looseEvents[0]?.['append_time'] as { seconds: string; nanos: number };
    expect(Number(time.seconds) * 1000 + time.nanos / 1e6).toBe(generatedEvents[0]?.appendTime?.getTime());
  });

  it('gives a proto-loader client the same status codes', async () => {
    await expect(call(loose, 'Append', { values: [] })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(readLoose(loose, { from_offset: '18446744073709551615' })).rejects.toMatchObject({ code: status.OUT_OF_RANGE });
  });
});
