/**
 * The contracts appender against a real in-process event log: many callers
 * over one stream, per-append errors, the queue bound, close, and what a
 * caller sees across a server restart.
 */
import { Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  createAppender,
  createEventLogClient,
  EventLogServiceService,
  isAppenderError,
  isOutcomeUnknown,
  type AppendResponse,
  type AppendStreamRequest,
  type AppendStreamResponse,
  type EventLogServiceClient,
} from '@hello-es/contracts';
import { findFreePort, makeTempDir, removeTempDir, waitFor, withTimeout } from '@hello-es/test-support';
import pino from 'pino';
import { readEventLogConfig } from './config';
import { startEventLogServer, type RunningEventLogServer } from './event-log-server';
import { readAll } from './testing/event-log-contract';

const logger = pino({ level: 'silent' });

async function values(client: EventLogServiceClient): Promise<bigint[]> {
  return (await readAll(client, 0n)).flatMap((message) => message.events.map((event) => event.value));
}

describe('the appender', () => {
  let dataDir: string;
  let address: string;
  let server: RunningEventLogServer | undefined;
  let client: EventLogServiceClient;

  const start = async (): Promise<RunningEventLogServer> => {
    server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: address, DATA_DIR: dataDir }), logger);
    return server;
  };

  beforeEach(async () => {
    dataDir = await makeTempDir('appender-');
    address = `127.0.0.1:${await findFreePort()}`;
    await start();
    client = createEventLogClient(address);
  });
  afterEach(async () => {
    client.close();
    await server?.shutdown();
    await removeTempDir(dataDir);
  });

  it('serves many concurrent callers over one stream: every value once, offsets dense', async () => {
    const appender = createAppender(client, { maxInFlight: 64 });
    const callers = 32;
    const perCaller = 20;
    const results = await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        const mine: AppendResponse[] = [];
        for (let index = 0; index < perCaller; index += 1) {
          const size = 1 + (index % 3);
          mine.push(await appender.append(Array.from({ length: size }, (__, at) => BigInt(caller * 1_000_000 + index * 10 + at))));
        }
        return mine;
      }),
    );
    await appender.close();
    const ranges = results.flat().sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
    let expectedFirst = 0n;
    for (const range of ranges) {
      expect(range.firstOffset).toBe(expectedFirst);
      expectedFirst = range.nextOffset;
    }
    const stored = await values(client);
    expect(BigInt(stored.length)).toBe(expectedFirst);
    expect(new Set(stored).size).toBe(stored.length);
    expect(server?.appendStreamStats.peakUnanswered).toBeLessThanOrEqual(64);
    // One stream carried it all (it is closed now).
    expect(server?.appendStreamStats.open).toBe(0);
  });

  it('sends the appends made in one turn as batches, each settled on its own, and one message per append with maxBatch 1', async () => {
    const batching = createAppender(client);
    // Warm-up: the stream opens and its response headers (which announce batches) arrive.
    await batching.append([0n]);
    const before = { ...(server?.appendStreamStats ?? { requests: 0, appends: 0 }) };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 600 }, (_, index) => batching.append([BigInt(index + 1)], index % 50 === 7 ? { expectedNextOffset: 0n } : {})),
    );
    const requests = (server?.appendStreamStats.requests ?? 0) - before.requests;
    expect((server?.appendStreamStats.appends ?? 0) - before.appends).toBe(600);
    // 600 appends made in one turn: a few batches of at most 256, not 600 messages.
    expect(requests).toBeLessThanOrEqual(Math.ceil(600 / 256) + 1);
    const refused = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [index] : []));
    expect(refused).toEqual(Array.from({ length: 12 }, (_, index) => index * 50 + 7));
    for (const index of refused) expect((outcomes[index] as PromiseRejectedResult).reason).toMatchObject({ code: status.FAILED_PRECONDITION, outcomeUnknown: false });
    // The others in call order, offsets dense.
    const firsts = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.firstOffset] : []));
    expect(firsts).toEqual(Array.from({ length: 588 }, (_, index) => BigInt(index + 1)));
    await batching.close();

    const single = createAppender(client, { maxBatch: 1 });
    const atStart = server?.appendStreamStats.requests ?? 0;
    await Promise.all(Array.from({ length: 50 }, (_, index) => single.append([BigInt(index)])));
    expect((server?.appendStreamStats.requests ?? 0) - atStart).toBe(50);
    await single.close();
    expect(await values(client)).toHaveLength(1 + 588 + 50);
  });

  it('rejects a failed append with its code and goes on with the next', async () => {
    const appender = createAppender(client);
    await appender.append([1n], { idempotencyKey: 'a' });
    const conflict = appender.append([2n], { expectedNextOffset: 7n });
    const reused = appender.append([3n], { idempotencyKey: 'a' });
    const empty = appender.append([]);
    const next = appender.append([4n], { expectedNextOffset: 1n });
    await expect(conflict).rejects.toMatchObject({ code: status.FAILED_PRECONDITION, outcomeUnknown: false });
    await expect(reused).rejects.toMatchObject({ code: status.FAILED_PRECONDITION, details: expect.stringMatching(/idempotency key/) });
    await expect(empty).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(next).resolves.toEqual({ firstOffset: 1n, nextOffset: 2n, duplicate: false });
    await expect(appender.append([2n ** 63n])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await appender.close();
  });

  it('refuses appends past the queue bound with RESOURCE_EXHAUSTED, at once', async () => {
    const appender = createAppender(client, { maxInFlight: 1, maxQueued: 2 });
    const calls = Array.from({ length: 6 }, (_, index) => appender.append([BigInt(index)]));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'rejected']);
    const refused = outcomes[2];
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ code: status.RESOURCE_EXHAUSTED, outcomeUnknown: false });
    expect(await values(client)).toEqual([0n, 1n]);
    await appender.close();
  });

  it('lets close() wait for every append in flight, then refuses new ones', async () => {
    const appender = createAppender(client, { maxInFlight: 32 });
    let settled = 0;
    const calls = Array.from({ length: 200 }, (_, index) => appender.append([BigInt(index)]).finally(() => (settled += 1)));
    const closed = appender.close();
    await withTimeout(closed, 20_000, 'close');
    expect(settled).toBe(200);
    await expect(Promise.all(calls)).resolves.toHaveLength(200);
    expect(appender.inFlight + appender.queued).toBe(0);
    await expect(appender.append([1n])).rejects.toMatchObject({ code: status.CANCELLED });
    await waitFor(() => server?.appendStreamStats.open === 0, { timeoutMs: 5_000, description: 'the stream ending' });
  });

  it('marks appends in flight at a restart as outcome unknown, reconnects, and a keyed retry lands each value once', async () => {
    const appender = createAppender(client, { reconnectDelayMs: 20, maxReconnectDelayMs: 200 });
    await appender.append([0n], { idempotencyKey: 'warm-up' });
    const keys = Array.from({ length: 64 }, (_, index) => `restart-${index}`);
    const calls = keys.map((key, index) => appender.append([BigInt(100 + index)], { idempotencyKey: key }));
    await server?.shutdown();
    const outcomes = await Promise.allSettled(calls);
    const unknown = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ index, reason: outcome.reason as unknown }] : []));
    expect(unknown.length).toBeGreaterThan(0);
    for (const { reason } of unknown) {
      expect(isAppenderError(reason) && reason.code).toBe(status.UNAVAILABLE);
      expect(isOutcomeUnknown(reason)).toBe(true);
    }
    await start();
    for (const { index } of unknown) await appender.append([BigInt(100 + index)], { idempotencyKey: keys[index] as string });
    // A later call needs no retry of its own: the appender reconnected.
    await expect(appender.append([999n])).resolves.toMatchObject({ duplicate: false });
    await appender.close();
    const stored = await values(client);
    expect([...stored].sort((a, b) => (a < b ? -1 : 1))).toEqual([0n, ...keys.map((_, index) => BigInt(100 + index)), 999n]);
  });

  it('gives up on an unreachable event log after the bounded attempts: UNAVAILABLE, not sent', async () => {
    const nowhere = createEventLogClient(`127.0.0.1:${await findFreePort()}`);
    try {
      const appender = createAppender(nowhere, { maxReconnectAttempts: 2, connectTimeoutMs: 200, reconnectDelayMs: 10 });
      const error: unknown = await appender.append([1n]).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: status.UNAVAILABLE, outcomeUnknown: false });
      await withTimeout(appender.close(), 5_000, 'close');
    } finally {
      nowhere.close();
    }
  });

  it('refuses an append over the message limit alone, without breaking the stream', async () => {
    const appender = createAppender(client);
    // 430,000 values of 10 bytes each: just over the 4 MiB message limit.
    const huge = Array.from({ length: 430_000 }, () => -(2n ** 63n));
    await expect(appender.append(huge)).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED, outcomeUnknown: false });
    await expect(appender.append([1n])).resolves.toMatchObject({ firstOffset: 0n });
    await appender.close();
  });
});

describe('the appender with a server that does not announce batches (an older event log)', () => {
  let server: Server;
  let client: EventLogServiceClient;
  const received: AppendStreamRequest[] = [];

  beforeEach(async () => {
    received.length = 0;
    let head = 0n;
    server = new Server();
    server.addService(
      { appendStream: EventLogServiceService.appendStream },
      {
        appendStream: (call: ServerDuplexStream<AppendStreamRequest, AppendStreamResponse>) => {
          call.on('data', (request: AppendStreamRequest) => {
            received.push(request);
            const count = BigInt(request.append?.values.length ?? 0);
            call.write({ requestId: request.requestId, result: { $case: 'appended', value: { firstOffset: head, nextOffset: (head += count), duplicate: false } }, results: [] });
          });
          call.on('end', () => call.end());
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = createEventLogClient(`127.0.0.1:${port}`);
  });
  afterEach(() => {
    client.close();
    server.forceShutdown();
  });

  it('sends one append per message and never the batch field', async () => {
    const appender = createAppender(client);
    await appender.append([1n]);
    const results = await Promise.all(Array.from({ length: 300 }, (_, index) => appender.append([BigInt(index), 0n])));
    await appender.close();
    expect(results.map((result) => result.firstOffset)).toEqual(Array.from({ length: 300 }, (_, index) => 1n + 2n * BigInt(index)));
    expect(received).toHaveLength(301);
    expect(received.every((request) => request.appends.length === 0 && request.append !== undefined)).toBe(true);
  });
});
