/**
 * Every RPC made through the adapters passes the server's interceptor chain:
 * in order, refusable before the handler, seeing the final status after it,
 * and able to end an open stream from outside.
 */
import { Metadata, status, type ServerDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { AppendRequest, type AppendStreamRequest, type AppendStreamResponse, ReadRequest, SubscribeRequest, callUnary, createEventLogClient, EventLogServiceService, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { createLogger } from '@hello-es/process';
import { deferred, waitFor, withTimeout } from '@hello-es/test-support';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startGrpcServer, type RunningGrpcServer } from '../grpc-server';
import { GrpcStatusError } from '../status-error';
import { unaryHandler, type HandlerContext } from '../unary-handler';
import { serverStreamingHandler } from '../server-streaming-handler';
import { bidiStreamingHandler } from '../bidi-streaming-handler';
import { accessLog } from './access-log';
import type { CallContext, ServerInterceptor } from './server-interceptor';

const logger = createLogger('test', 'silent');

describe('the interceptor chain', () => {
  let server: RunningGrpcServer;
  let client: EventLogServiceClient;
  const events: string[] = [];
  const openCalls: CallContext[] = [];
  const accessLines: Record<string, unknown>[] = [];
  let handlerRuns = 0;

  const recorder = (name: string): ServerInterceptor => ({
    name,
    async intercept(call, next) {
      events.push(`${name}:before:${call.method}:${call.kind}`);
      if (call.metadata.get('refuse')[0] === name) throw new GrpcStatusError(status.PERMISSION_DENIED, `${name} refused`);
      if (call.kind === 'server-streaming' && name === 'outer') openCalls.push(call);
      try {
        await next();
        events.push(`${name}:after:OK`);
      } catch (error: unknown) {
        events.push(`${name}:after:${error instanceof GrpcStatusError ? status[error.code] : 'non-status'}`);
        throw error;
      }
    },
  });

  beforeAll(async () => {
    const context: HandlerContext = { logger, mapDomainError: () => undefined };
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) accessLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startGrpcServer({
      address: '127.0.0.1:0',
      logger,
      shutdownGraceMs: 500,
      interceptors: [recorder('outer'), recorder('inner'), accessLog(pino({ level: 'debug' }, sink))],
      services: [
        {
          name: 'eventlog.v1.EventLogService',
          definition: EventLogServiceService,
          implementation: {
            append: unaryHandler(context, 'Append', async (request: { values: bigint[] }) => {
              handlerRuns += 1;
              if (request.values.length === 0) throw new GrpcStatusError(status.INVALID_ARGUMENT, 'values must not be empty');
              return { firstOffset: 0n, nextOffset: BigInt(request.values.length) };
            }),
            subscribe: serverStreamingHandler(context, 'Subscribe', async function* (_request: unknown, signal: AbortSignal) {
              yield { kind: { $case: 'started', value: { logId: 'x', nextOffset: 0n } } };
              await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
            }),
            read: serverStreamingHandler(context, 'Read', async function* (request: { fromOffset: bigint }) {
              yield { events: [] };
              if (request.fromOffset > 0n) throw new GrpcStatusError(status.OUT_OF_RANGE, 'beyond the head');
            }),
            appendStream: bidiStreamingHandler(context, 'AppendStream', (call: ServerDuplexStream<AppendStreamRequest, AppendStreamResponse>, bidi) => {
              call.on('data', (request: AppendStreamRequest) => {
                if (request.requestId === 13n) bidi.end(new GrpcStatusError(status.FAILED_PRECONDITION, 'thirteen'));
                else call.write({ requestId: request.requestId, result: { $case: 'appended', value: { firstOffset: 0n, nextOffset: 1n, duplicate: false } }, results: [] });
              });
              call.on('end', () => bidi.end());
            }),
            getLogInfo: unaryHandler(context, 'GetLogInfo', async () => ({ logId: 'x', nextOffset: 0n, storage: 'memory' })),
            listSubscriptions: unaryHandler(context, 'ListSubscriptions', async () => ({ subscriptions: [] })),
          },
        },
      ],
    });
    client = createEventLogClient(server.address);
  });

  beforeEach(() => {
    events.length = 0;
    accessLines.length = 0;
    openCalls.length = 0;
  });

  afterAll(async () => {
    client.close();
    await server.shutdown();
  });

  it('runs the interceptors outermost first and shows them OK after a unary success', async () => {
    await callUnary(client.append.bind(client), AppendRequest.fromPartial({ values: [1n] }));
    expect(events).toEqual(['outer:before:Append:unary', 'inner:before:Append:unary', 'inner:after:OK', 'outer:after:OK']);
  });

  it('shows the status a unary call failed with', async () => {
    await expect(callUnary(client.append.bind(client), AppendRequest.fromPartial({ values: [] }))).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(events).toEqual(['outer:before:Append:unary', 'inner:before:Append:unary', 'inner:after:INVALID_ARGUMENT', 'outer:after:INVALID_ARGUMENT']);
  });

  it('refuses a call before the handler runs when an interceptor throws', async () => {
    const before = handlerRuns;
    const metadata = new Metadata();
    metadata.set('refuse', 'inner');
    const error = await new Promise<ServiceError>((resolve) => client.append(AppendRequest.fromPartial({ values: [1n] }), metadata, (error) => resolve(error as ServiceError)));
    expect(error).toMatchObject({ code: status.PERMISSION_DENIED, details: 'inner refused' });
    expect(handlerRuns).toBe(before);
    expect(events).toEqual(['outer:before:Append:unary', 'inner:before:Append:unary', 'outer:after:PERMISSION_DENIED']);
  });

  it('shows the final status of server-streaming calls, OK and failed', async () => {
    const readAll = (fromOffset: bigint): Promise<number | string> =>
      new Promise((resolve) => {
        const call = client.read(ReadRequest.fromPartial({ fromOffset }));
        call.on('data', () => undefined);
        call.on('error', (error: ServiceError) => resolve(error.code));
        call.on('end', () => resolve('end'));
      });
    expect(await readAll(0n)).toBe('end');
    await waitFor(() => events.includes('outer:after:OK'), { timeoutMs: 5_000, description: 'the OK outcome' });
    expect(events).toEqual(['outer:before:Read:server-streaming', 'inner:before:Read:server-streaming', 'inner:after:OK', 'outer:after:OK']);
    events.length = 0;
    expect(await readAll(5n)).toBe(status.OUT_OF_RANGE);
    await waitFor(() => events.includes('outer:after:OUT_OF_RANGE'), { timeoutMs: 5_000, description: 'the failed outcome' });
  });

  it('lets an interceptor end an open stream from outside', async () => {
    const ended = deferred<ServiceError>();
    const call = client.subscribe(SubscribeRequest.fromPartial({ fromOffset: 0n }));
    call.on('data', (_message: SubscribeResponse) => undefined);
    call.on('error', (error: ServiceError) => ended.resolve(error));
    await waitFor(() => openCalls.length === 1, { timeoutMs: 5_000, description: 'the stream reaching the interceptor' });
    const open = openCalls[0];
    if (!open) throw new Error('no open call');
    open.end(new GrpcStatusError(status.UNAUTHENTICATED, 'token revoked'));
    const error = await withTimeout(ended.promise, 5_000, 'the stream ending');
    expect(error).toMatchObject({ code: status.UNAUTHENTICATED, details: 'token revoked' });
    expect(open.signal.aborted).toBe(true);
    await waitFor(() => events.includes('outer:after:UNAUTHENTICATED'), { timeoutMs: 5_000, description: 'the interceptor seeing the end' });
  });

  it('writes one debug access-log line per call with method, status, duration and peer', async () => {
    await expect(callUnary(client.append.bind(client), AppendRequest.fromPartial({ values: [] }))).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await waitFor(() => accessLines.length === 1, { timeoutMs: 5_000, description: 'the access-log line' });
    expect(accessLines[0]).toMatchObject({ level: 20, msg: 'rpc', method: '/eventlog.v1.EventLogService/Append', status: 'INVALID_ARGUMENT' });
    expect(typeof accessLines[0]?.['durationMs']).toBe('number');
    expect(String(accessLines[0]?.['peer'])).toMatch(/127\.0\.0\.1:\d+/);
  });

  it('passes a bidi call through the chain like any other, with its OK end and an access-log line', async () => {
    const call = client.appendStream();
    const ids: bigint[] = [];
    call.on('data', (response: AppendStreamResponse) => ids.push(response.requestId));
    const ended = new Promise<number>((resolve) => call.on('status', (outcome: { code: number }) => resolve(outcome.code)));
    call.write({ requestId: 1n, append: AppendRequest.fromPartial({ values: [1n] }), appends: [] });
    call.write({ requestId: 2n, append: AppendRequest.fromPartial({ values: [2n] }), appends: [] });
    call.end();
    expect(await withTimeout(ended, 5_000, 'the bidi call ending')).toBe(status.OK);
    expect(ids).toEqual([1n, 2n]);
    await waitFor(() => events.includes('outer:after:OK'), { timeoutMs: 5_000, description: 'the OK outcome' });
    expect(events).toEqual(['outer:before:AppendStream:bidi-streaming', 'inner:before:AppendStream:bidi-streaming', 'inner:after:OK', 'outer:after:OK']);
    await waitFor(() => accessLines.length === 1, { timeoutMs: 5_000, description: 'the access-log line' });
    expect(accessLines[0]).toMatchObject({ method: '/eventlog.v1.EventLogService/AppendStream', status: 'OK' });
  });

  it('refuses a bidi call before its handler, and shows the status its handler ended it with', async () => {
    const metadata = new Metadata();
    metadata.set('refuse', 'outer');
    const refused = client.appendStream(metadata);
    const refusal = await withTimeout(new Promise<ServiceError>((resolve) => refused.on('error', resolve)), 5_000, 'the refusal');
    expect(refusal.code).toBe(status.PERMISSION_DENIED);
    expect(events).toEqual(['outer:before:AppendStream:bidi-streaming']);

    events.length = 0;
    const call = client.appendStream();
    call.on('data', () => undefined);
    const failed = new Promise<ServiceError>((resolve) => call.on('error', resolve));
    call.write({ requestId: 13n, append: AppendRequest.fromPartial({ values: [1n] }), appends: [] });
    expect(await withTimeout(failed, 5_000, 'the handler ending the call')).toMatchObject({ code: status.FAILED_PRECONDITION, details: 'thirteen' });
    await waitFor(() => events.includes('outer:after:FAILED_PRECONDITION'), { timeoutMs: 5_000, description: 'the interceptors seeing the status' });
  });
});
