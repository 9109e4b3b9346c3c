/**
 * AppendStream against a real in-process event log: one append (or a batch
 * of them) per request with Append's semantics, answered by request_id in
 * request order, sharing
 * the log with unary appends; per-append errors keep the stream going; the
 * window bounds what the server holds for a client that does not read.
 */
import { Client, credentials, status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import {
  AppendRequest,
  AppendStreamRequest,
  AppendStreamResponse,
  callUnary,
  coalesceWrites,
  createEventLogClient,
  type EventLogServiceClient,
} from '@hello-es/contracts';
import { createProtoLoaderClient, deferred, waitFor, withTimeout, type Deferred } from '@hello-es/test-support';
import pino from 'pino';
import { readEventLogConfig } from './config';
import { startEventLogServer, type RunningEventLogServer } from './event-log-server';
import { StorageFailure } from './errors';
import type { LogStore } from './store/log-store';
import { MemoryLogStore } from './store/memory/memory-log-store';
import { readAll } from './testing/event-log-contract';

const logger = pino({ level: 'silent' });
const UINT64_MAX = 2n ** 64n - 1n;
const PATH = '/eventlog.v1.EventLogService/AppendStream';

interface StreamOutcome<T> {
  readonly responses: T[];
  /** Resolves with the final status code (0 for OK). */
  readonly ended: Promise<number>;
}

/** Collects every response of a duplex call and its final status. */
function collect<T>(call: NodeJS.EventEmitter): StreamOutcome<T> {
  const responses: T[] = [];
  call.on('data', (response: T) => responses.push(response));
  const ended = new Promise<number>((resolve) => {
    call.on('error', (error: ServiceError) => resolve(error.code));
    call.on('status', (outcome: { code: number }) => {
      if (outcome.code === status.OK) resolve(status.OK);
    });
  });
  return { responses, ended };
}

function request(requestId: bigint, values: bigint[], extra: { idempotencyKey?: string; expectedNextOffset?: bigint } = {}): AppendStreamRequest {
  return { requestId, append: appendOf(values, extra), appends: [] };
}

function appendOf(values: bigint[], extra: { idempotencyKey?: string; expectedNextOffset?: bigint } = {}): AppendRequest {
  return { values, idempotencyKey: extra.idempotencyKey ?? '', expectedNextOffset: extra.expectedNextOffset };
}

function batch(requestId: bigint, appends: AppendRequest[]): AppendStreamRequest {
  return { requestId, append: undefined, appends };
}

/** What one AppendStreamResult (or a response's own result) says, in a form toEqual can compare. */
function outcome(result: AppendStreamResponse['result']): unknown {
  if (result?.$case === 'appended') return result.value;
  if (result?.$case === 'error') return { code: result.value.code };
  return undefined;
}

function appended(response: AppendStreamResponse | undefined): { firstOffset: bigint; nextOffset: bigint; duplicate: boolean } {
  if (response?.result?.$case !== 'appended') throw new Error(`expected appended, got ${JSON.stringify(response?.result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return response.result.value;
}

function errorCode(response: AppendStreamResponse | undefined): number | undefined {
  return response?.result?.$case === 'error' ? response.result.value.code : undefined;
}

/** A client that sends and receives raw bytes on AppendStream, for frames the generated client cannot make. */
function rawStream(address: string): { client: Client; call: ClientDuplexStream<Buffer, Buffer> } {
  // Without retries, grpc-js's write() reports backpressure as it is: its retrying call would take
  // writes into a retry buffer (and say "go on") far beyond what the transport has sent.
  const client = new Client(address, credentials.createInsecure(), { 'grpc.enable_retries': 0 });
  const call = client.makeBidiStreamRequest(
    PATH,
    (bytes: Buffer) => bytes,
    (bytes: Buffer) => bytes,
  );
  // A fast client: every message buffered in a turn goes out at once.
  coalesceWrites(call);
  // A test that ends early still sees a status; without a listener it would be an unhandled 'error'.
  call.on('error', () => undefined);
  return { client, call };
}

describe('AppendStream', () => {
  let server: RunningEventLogServer;
  let client: EventLogServiceClient;

  beforeEach(async () => {
    server = await startEventLogServer(
      readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory', EVENTLOG_APPEND_STREAM_WINDOW: '256' }),
      logger,
    );
    client = createEventLogClient(server.address);
  });
  afterEach(async () => {
    client.close();
    await server.shutdown();
  });

  it('answers many appends by id in order, interleaved with unary appends and a proto-loader stream, offsets dense and each value once', async () => {
    const unaryClient = createEventLogClient(server.address);
    type LooseClient = Client & { AppendStream(): ClientDuplexStream<object, Record<string, unknown>> };
    const loose = createProtoLoaderClient<LooseClient>('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', server.address);
    try {
      const generatedCall = client.appendStream();
      const looseCall = loose.AppendStream();
      const generated = collect<AppendStreamResponse>(generatedCall);
      const looseOut = collect<Record<string, unknown>>(looseCall);
      const perStream = 300;
      const unary: Promise<unknown>[] = [];
      for (let index = 0; index < perStream; index += 1) {
        generatedCall.write(request(BigInt(index) * 7n, [BigInt(index)]));
        looseCall.write({ request_id: String(index * 3), append: { values: [String(1_000_000 + index), String(2_000_000 + index)] } });
        if (index % 10 === 0) unary.push(callUnary(unaryClient.append.bind(unaryClient), { values: [BigInt(5_000_000 + index)], idempotencyKey: '' }));
      }
      generatedCall.end();
      looseCall.end();
      expect(await withTimeout(generated.ended, 20_000, 'the generated stream ending')).toBe(status.OK);
      expect(await withTimeout(looseOut.ended, 20_000, 'the proto-loader stream ending')).toBe(status.OK);
      await Promise.all(unary);

      expect(generated.responses.map((response) => response.requestId)).toEqual(Array.from({ length: perStream }, (_, index) => BigInt(index) * 7n));
      expect(looseOut.responses.map((response) => response['request_id'])).toEqual(Array.from({ length: perStream }, (_, index) => String(index * 3)));
      // In order applied: each stream's offsets increase with its requests.
      const generatedOffsets = generated.responses.map((response) => appended(response).firstOffset);
      expect([...generatedOffsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(generatedOffsets);
      const looseOffsets = looseOut.responses.map((response) => Number((response['appended'] as { first_offset: string }).first_offset));
      expect([...looseOffsets].sort((a, b) => a - b)).toEqual(looseOffsets);

      const events = (await readAll(client, 0n)).flatMap((message) => message.events);
      const total = perStream + 2 * perStream + unary.length;
      expect(events.map((event) => event.offset)).toEqual(Array.from({ length: total }, (_, index) => BigInt(index)));
      // Each response's offsets hold exactly its values.
      const valueAt = new Map(events.map((event) => [event.offset, event.value]));
      generated.responses.forEach((response, index) => expect(valueAt.get(appended(response).firstOffset)).toBe(BigInt(index)));
      looseOut.responses.forEach((response, index) => {
        const first = BigInt((response['appended'] as { first_offset: string }).first_offset);
        expect([valueAt.get(first), valueAt.get(first + 1n)]).toEqual([BigInt(1_000_000 + index), BigInt(2_000_000 + index)]);
      });
      expect(new Set(events.map((event) => event.value)).size).toBe(total);
    } finally {
      unaryClient.close();
      loose.close();
    }
  });

  it('answers a conflicting expected_next_offset, a reused key with other values and empty values with their codes, and goes on', async () => {
    const call = client.appendStream();
    const out = collect<AppendStreamResponse>(call);
    call.write(request(1n, [10n], { idempotencyKey: 'k' }));
    call.write(request(2n, [11n], { expectedNextOffset: 99n }));
    call.write(request(3n, [12n]));
    call.write(request(4n, [13n], { idempotencyKey: 'k' }));
    call.write(request(5n, [14n]));
    call.write(request(6n, []));
    call.write({ requestId: 7n, append: undefined, appends: [] });
    call.write(request(8n, [15n], { expectedNextOffset: 3n }));
    call.write(request(9n, [10n], { idempotencyKey: 'k' }));
    call.end();
    expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
    const [first, conflict, afterConflict, keyReused, afterKey, empty, unset, expected, retry] = out.responses;
    expect(out.responses.map((response) => response.requestId)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    expect(appended(first)).toEqual({ firstOffset: 0n, nextOffset: 1n, duplicate: false });
    expect(errorCode(conflict)).toBe(status.FAILED_PRECONDITION);
    expect(appended(afterConflict)).toEqual({ firstOffset: 1n, nextOffset: 2n, duplicate: false });
    expect(errorCode(keyReused)).toBe(status.FAILED_PRECONDITION);
    expect(appended(afterKey).firstOffset).toBe(2n);
    expect(errorCode(empty)).toBe(status.INVALID_ARGUMENT);
    expect(errorCode(unset)).toBe(status.INVALID_ARGUMENT);
    expect(unset?.result?.$case === 'error' && unset.result.value.message).toMatch(/values must hold 1 to/);
    expect(appended(expected)).toEqual({ firstOffset: 3n, nextOffset: 4n, duplicate: false });
    expect(appended(retry)).toEqual({ firstOffset: 0n, nextOffset: 1n, duplicate: true });
  });

  it('applies a batch as consecutive appends, each on its own, and answers it with one response of results in order', async () => {
    const call = client.appendStream();
    const headers = new Promise<string[]>((resolve) => call.on('metadata', (metadata: { get(key: string): unknown[] }) => resolve(metadata.get('hello-es-append-batches').map(String))));
    const out = collect<AppendStreamResponse>(call);
    call.write(request(1n, [10n], { idempotencyKey: 'k' }));
    call.write(
      batch(2n, [
        appendOf([20n, 21n]),
        appendOf([22n], { expectedNextOffset: 99n }),
        appendOf([23n], { expectedNextOffset: 3n }),
        appendOf([]),
        appendOf([10n], { idempotencyKey: 'k' }),
        appendOf([24n], { idempotencyKey: 'k' }),
      ]),
    );
    call.write(request(3n, [30n]));
    call.write({ requestId: 4n, append: appendOf([1n]), appends: [appendOf([2n])] });
    call.write(batch(5n, [appendOf([40n])]));
    call.end();
    expect(await withTimeout(headers, 10_000, 'the response headers')).toEqual(['1']);
    expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
    expect(out.responses.map((response) => response.requestId)).toEqual([1n, 2n, 3n, 4n, 5n]);
    const [single, answered, after, both, last] = out.responses;
    expect(appended(single)).toEqual({ firstOffset: 0n, nextOffset: 1n, duplicate: false });
    expect(answered?.result).toBeUndefined();
    expect(answered?.results.map((entry) => outcome(entry.result))).toEqual([
      { firstOffset: 1n, nextOffset: 3n, duplicate: false },
      { code: status.FAILED_PRECONDITION },
      { firstOffset: 3n, nextOffset: 4n, duplicate: false },
      { code: status.INVALID_ARGUMENT },
      { firstOffset: 0n, nextOffset: 1n, duplicate: true },
      { code: status.FAILED_PRECONDITION },
    ]);
    expect(appended(after)).toEqual({ firstOffset: 4n, nextOffset: 5n, duplicate: false });
    // Both forms in one request: refused as a whole, nothing of it applied, and the stream goes on.
    expect(errorCode(both)).toBe(status.INVALID_ARGUMENT);
    expect(both?.results).toEqual([]);
    expect(last?.results.map((entry) => outcome(entry.result))).toEqual([{ firstOffset: 5n, nextOffset: 6n, duplicate: false }]);
    const events = (await readAll(client, 0n)).flatMap((message) => message.events);
    expect(events.map((event) => event.value)).toEqual([10n, 20n, 21n, 23n, 30n, 40n]);
  });

  it('takes a batch written as JSON-shaped fields through proto-loader, as grpcurl sends it', async () => {
    type LooseClient = Client & { AppendStream(): ClientDuplexStream<object, Record<string, unknown>> };
    const loose = createProtoLoaderClient<LooseClient>('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', server.address);
    try {
      const call = loose.AppendStream();
      const out = collect<Record<string, unknown>>(call);
      call.write({ request_id: '9', appends: [{ values: ['1', '2'] }, { values: ['3'], expected_next_offset: '7' }, { values: ['4'] }] });
      call.end();
      expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
      expect(out.responses).toHaveLength(1);
      const results = (out.responses[0]?.['results'] ?? []) as Record<string, unknown>[];
      expect(out.responses[0]?.['request_id']).toBe('9');
      expect(results.map((entry) => entry['result'])).toEqual(['appended', 'error', 'appended']);
      expect(results.map((entry) => (entry['appended'] as { first_offset?: string } | undefined)?.first_offset)).toEqual(['0', undefined, '2']);
    } finally {
      loose.close();
    }
  });

  it('echoes request ids exactly, 0 and 2^64-1 included, and answers reused ids once per request', async () => {
    const call = client.appendStream();
    const out = collect<AppendStreamResponse>(call);
    for (const id of [UINT64_MAX, 0n, 5n, 5n, 2n ** 63n, UINT64_MAX]) call.write(request(id, [1n]));
    call.end();
    expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
    expect(out.responses.map((response) => response.requestId)).toEqual([UINT64_MAX, 0n, 5n, 5n, 2n ** 63n, UINT64_MAX]);
    expect(out.responses.map((response) => appended(response).firstOffset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
  });

  it('answers INVALID_ARGUMENT for a garbled append whose id is readable, and ends the stream at a frame with no readable id', async () => {
    const { client: raw, call } = rawStream(server.address);
    try {
      const out = collect<Buffer>(call);
      const good = (id: bigint): Buffer => Buffer.from(AppendStreamRequest.encode(request(id, [3n])).finish());
      call.write(good(1n));
      // request_id 2, then an append field whose varint never ends.
      call.write(Buffer.from([0x08, 0x02, 0x12, 0x03, 0x08, 0xff, 0xff]));
      call.write(good(3n));
      // Wire type 7 does not exist: nothing can be read.
      call.write(Buffer.from([0x0f, 0x01, 0x02]));
      call.write(good(4n));
      const code = await withTimeout(out.ended, 10_000, 'the stream ending');
      expect(code).toBe(status.INVALID_ARGUMENT);
      const responses = out.responses.map((bytes) => AppendStreamResponse.decode(bytes));
      expect(responses.map((response) => response.requestId)).toEqual([1n, 2n, 3n]);
      expect(appended(responses[0]).firstOffset).toBe(0n);
      expect(errorCode(responses[1])).toBe(status.INVALID_ARGUMENT);
      expect(appended(responses[2]).firstOffset).toBe(1n);
      // The append after the unreadable frame was never carried out.
      const info = await callUnary(client.getLogInfo.bind(client), {});
      expect(info.nextOffset).toBe(2n);
    } finally {
      raw.close();
    }
  });

  it('answers every pending append after a half-close, then ends OK', async () => {
    const call = client.appendStream();
    const out = collect<AppendStreamResponse>(call);
    for (let id = 0n; id < 200n; id += 1n) call.write(request(id, [id]));
    call.end();
    expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
    expect(out.responses).toHaveLength(200);
    expect(server.appendStreamStats).toMatchObject({ open: 0, unanswered: 0 });
  });

  it('ends open streams with UNAVAILABLE at shutdown', async () => {
    const call = client.appendStream();
    const out = collect<AppendStreamResponse>(call);
    call.write(request(1n, [1n]));
    await withTimeout(
      new Promise((resolve) => call.once('data', resolve)),
      5_000,
      'the first response',
    );
    await server.shutdown();
    expect(await withTimeout(out.ended, 5_000, 'the stream ending')).toBe(status.UNAVAILABLE);
  });
});

/**
 * Flow control, with a store whose appends of the value 1 wait at a gate:
 * the stream's appends then stay unanswered for as long as the test wants,
 * so the window is what stops the server reading, not the store's speed.
 */
describe('AppendStream with a scripted store', () => {
  const WINDOW = 64;
  let server: RunningEventLogServer;
  let gate: Deferred<void>;
  let gatedAppends = 0;

  beforeEach(async () => {
    gate = deferred();
    gatedAppends = 0;
    const memory = new MemoryLogStore();
    const store: LogStore = {
      logId: memory.logId,
      storage: memory.storage,
      nextOffset: () => memory.nextOffset(),
      append: async (command) => {
        if (command.values[0] === 1n) {
          gatedAppends += 1;
          await gate.promise;
        }
        if (command.values[0] === 13n) throw new StorageFailure('EIO: /secret/path/events.log');
        return memory.append(command);
      },
      read: (from, max) => memory.read(from, max),
      waitForHeadBeyond: (offset, signal) => memory.waitForHeadBeyond(offset, signal),
      close: () => memory.close(),
    };
    server = await startEventLogServer(
      readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory', EVENTLOG_APPEND_STREAM_WINDOW: String(WINDOW) }),
      logger,
      { store },
    );
  });
  afterEach(async () => {
    gate.resolve();
    await server.shutdown();
  });

  it('holds at most the window for a client that sends 100,000 appends without reading, and serves other clients meanwhile', async () => {
    const { client: raw, call } = rawStream(server.address);
    try {
      // By hand (the generated encoder would take seconds for 100,000): request_id, then the same append.
      const append = Buffer.from(AppendRequest.encode({ values: [1n], idempotencyKey: '' }).finish());
      const tail = Buffer.concat([Buffer.from([0x12, append.length]), append]);
      const frame = (id: number): Buffer => {
        const head = [0x08];
        let rest = id;
        for (; rest > 127; rest >>>= 7) head.push((rest & 127) | 0x80);
        head.push(rest);
        return Buffer.concat([Buffer.from(head), tail]);
      };
      expect(AppendStreamRequest.decode(frame(300))).toEqual(request(300n, [1n]));
      // Sent as fast as the transport takes them, and no response is read.
      let sent = 0;
      let stop = false;
      const sending = (async () => {
        while (sent < 100_000 && !stop) {
          if (!call.write(frame(sent++))) await new Promise((resolve) => call.once('drain', resolve));
        }
      })();
      await waitFor(() => server.appendStreamStats.unanswered === WINDOW, { timeoutMs: 20_000, description: 'the window filling' });
      const other = createEventLogClient(server.address);
      try {
        const reply = await withTimeout(callUnary(other.append.bind(other), { values: [42n], idempotencyKey: '' }), 5_000, 'another client served');
        expect(reply).toEqual({ firstOffset: 0n, nextOffset: 1n, duplicate: false });
      } finally {
        other.close();
      }
      // The server read no further than the window while the appends were stuck, and the client had to stop sending.
      expect(gatedAppends).toBe(WINDOW);
      expect(sent).toBeLessThan(100_000);
      expect(server.appendStreamStats.peakUnanswered).toBe(WINDOW);
      expect(server.appendStreamStats.peakUnansweredValues).toBe(WINDOW);

      // Released and read, the stream goes on in order and never holds more than the window.
      let answered = 0;
      const ids: bigint[] = [];
      call.on('data', (bytes: Buffer) => {
        answered += 1;
        if (ids.length < 10) ids.push(AppendStreamResponse.decode(bytes).requestId);
      });
      gate.resolve();
      await waitFor(() => answered >= 2 * WINDOW, { timeoutMs: 30_000, description: 'answers after the gate opened' });
      expect(ids).toEqual(Array.from({ length: 10 }, (_, index) => BigInt(index)));
      expect(server.appendStreamStats.peakUnanswered).toBeLessThanOrEqual(WINDOW);
      stop = true;
      call.cancel();
      call.emit('drain');
      await sending;
      await waitFor(() => server.appendStreamStats.open === 0, { timeoutMs: 5_000, description: 'the stream closing' });
      expect(server.appendStreamStats.unanswered).toBe(0);
    } finally {
      raw.close();
    }
  }, 60_000);

  it('counts the appends of batches against the window one by one', async () => {
    const client = createEventLogClient(server.address);
    try {
      const call = client.appendStream();
      const out = collect<AppendStreamResponse>(call);
      const perBatch = 16;
      // Eight batches of 16 gated appends: the window (64) fills after four, and the server reads no further.
      for (let index = 0; index < 8; index += 1) call.write(batch(BigInt(index), Array.from({ length: perBatch }, () => appendOf([1n]))));
      await waitFor(() => gatedAppends === WINDOW, { timeoutMs: 10_000, description: 'the window filling' });
      expect(server.appendStreamStats.unanswered).toBe(WINDOW);
      expect(server.appendStreamStats.peakUnanswered).toBe(WINDOW);
      gate.resolve();
      call.end();
      expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.OK);
      expect(out.responses.map((response) => response.requestId)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
      const firsts = out.responses.flatMap((response) => response.results.map((entry) => (entry.result?.$case === 'appended' ? entry.result.value.firstOffset : -1n)));
      expect(firsts).toEqual(Array.from({ length: 8 * perBatch }, (_, index) => BigInt(index)));
      expect(server.appendStreamStats.peakUnanswered).toBe(WINDOW);
    } finally {
      client.close();
    }
  });

  it('answers a batch in which a storage failure refused an append in full, then ends the stream with UNAVAILABLE', async () => {
    const client = createEventLogClient(server.address);
    try {
      const call = client.appendStream();
      const out = collect<AppendStreamResponse>(call);
      call.write(batch(1n, [appendOf([7n]), appendOf([13n]), appendOf([8n])]));
      call.write(request(2n, [9n]));
      expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.UNAVAILABLE);
      expect(out.responses.map((response) => response.requestId)).toEqual([1n]);
      const results = out.responses[0]?.results.map((entry) => entry.result) ?? [];
      expect(results.map((result) => result?.$case)).toEqual(['appended', 'error', 'appended']);
      expect(results[1]?.$case === 'error' && results[1].value).toMatchObject({ code: status.UNAVAILABLE, message: expect.stringMatching(/storage failure/) });
    } finally {
      client.close();
    }
  });

  it('answers the append a storage failure refused, then ends the stream with UNAVAILABLE', async () => {
    const client = createEventLogClient(server.address);
    try {
      const call = client.appendStream();
      const out = collect<AppendStreamResponse>(call);
      call.write(request(1n, [7n]));
      call.write(request(2n, [13n]));
      call.write(request(3n, [8n]));
      expect(await withTimeout(out.ended, 10_000, 'the stream ending')).toBe(status.UNAVAILABLE);
      expect(out.responses.map((response) => response.requestId)).toEqual([1n, 2n]);
      expect(appended(out.responses[0]).firstOffset).toBe(0n);
      const refused = out.responses[1]?.result;
      expect(refused?.$case === 'error' && refused.value).toMatchObject({ code: status.UNAVAILABLE, message: expect.stringMatching(/storage failure/) });
      expect(JSON.stringify(refused, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(/secret|EIO/);
    } finally {
      client.close();
    }
  });
});
