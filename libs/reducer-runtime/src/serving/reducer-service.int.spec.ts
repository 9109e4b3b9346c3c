import { Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { callUnary, createReducerClient, type WatchStateResponse } from '@hello-es/contracts';
import { OpenStreams, startGrpcServer, type RunningGrpcServer } from '@hello-es/grpc-server';
import { createLogger } from '@hello-es/process';
import { deferred, waitFor } from '@hello-es/test-support';
import { ReducerState } from '../state/reducer-state';
import { createReducerServiceImplementation } from './reducer-service';
import { reducerServiceDefinition } from './watch-state-wire';

const logger = createLogger('reducer-service-test', 'silent');

describe('ReducerService', () => {
  let server: RunningGrpcServer;
  let state: ReducerState;
  let client: ReturnType<typeof createReducerClient>;

  async function start(maxWaitMs = 30_000): Promise<void> {
    state = new ReducerState({ value: 0n, nextOffset: 0n, logId: 'log-1' });
    const openStreams = new OpenStreams();
    server = await startGrpcServer({
      address: '127.0.0.1:0',
      logger,
      openStreams,
      services: [
        {
          name: 'reducer.v1.ReducerService',
          definition: reducerServiceDefinition,
          implementation: createReducerServiceImplementation({ reducerName: 'adder', state, maxWaitMs, openStreams, logger }),
        },
      ],
    });
    client = createReducerClient(server.address);
  }

  afterEach(async () => {
    client.close();
    await server.shutdown();
  });

  it('answers GetState with the exact decimal value, next offset and log id', async () => {
    await start();
    state.set({ value: -(2n ** 100n), nextOffset: 7n, logId: 'log-1' });
    const reply = await callUnary(client.getState.bind(client), {}, { timeoutMs: 20_000 });
    expect(reply.state).toEqual({ reducer: 'adder', value: '-1267650600228229401496703205376', nextOffset: 7n, logId: 'log-1' });
  });

  it('makes GetState with min_next_offset wait until the reducer has applied that far', async () => {
    await start();
    const reply = callUnary(client.getState.bind(client), { minNextOffset: 3n }, { timeoutMs: 20_000 });
    await waitFor(() => state.waiting === 1, { description: 'the call to wait', timeoutMs: 20_000 });
    state.set({ value: 10n, nextOffset: 2n, logId: 'log-1' });
    state.set({ value: 30n, nextOffset: 3n, logId: 'log-1' });
    expect((await reply).state).toMatchObject({ value: '30', nextOffset: 3n });
  });

  it('fails GetState with DEADLINE_EXCEEDED when min_next_offset is not reached before the deadline', async () => {
    await start();
    const failure = callUnary(client.getState.bind(client), { minNextOffset: 100n }, { timeoutMs: 200 });
    await expect(failure).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    await waitFor(() => state.waiting === 0, { description: 'the waiter to be removed', timeoutMs: 20_000 });
  });

  it('answers OUT_OF_RANGE at once for a min_next_offset no log can reach, instead of waiting', async () => {
    await start();
    for (const minNextOffset of [2n ** 53n + 1n, 2n ** 64n - 1n]) {
      await expect(callUnary(client.getState.bind(client), { minNextOffset }, { timeoutMs: 5_000 })).rejects.toMatchObject({
        code: status.OUT_OF_RANGE,
        details: expect.stringContaining('2^53') as string,
      });
    }
    expect(state.waiting).toBe(0);
    // 2^53 itself is a next offset a log can reach: it waits (and here times out).
    await expect(callUnary(client.getState.bind(client), { minNextOffset: 2n ** 53n }, { timeoutMs: 200 })).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
    });
  });

  it('caps a GetState wait without a deadline at the server maximum', async () => {
    await start(50);
    const failure = callUnary(client.getState.bind(client), { minNextOffset: 100n });
    await expect(failure).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
      details: expect.stringContaining('within 50 ms') as string,
    });
  });

  it('removes the waiter when the client cancels GetState', async () => {
    await start();
    const call = client.getState({ minNextOffset: 100n }, new Metadata(), {}, () => undefined);
    await waitFor(() => state.waiting === 1, { description: 'the call to wait', timeoutMs: 20_000 });
    expect(state.waiting).toBe(1);
    call.cancel();
    await waitFor(() => state.waiting === 0, { description: 'the waiter to be removed', timeoutMs: 20_000 });
    // Reaching the offset later finds no waiter left to answer.
    state.set({ value: 7n, nextOffset: 100n, logId: 'log-1' });
    expect(state.waiting).toBe(0);
  });

  /**
   * A watcher that stops reading must not make the server queue every
   * state: it receives what flow control already let through, then the
   * latest state. Big values make the backlog impossible to hide in buffers.
   */
  it('coalesces WatchState for a watcher that does not read', async () => {
    await start();
    const big = 10n ** 4000n;
    const changes = 2_000;
    const call: ClientReadableStream<WatchStateResponse> = client.watchState({});
    const received: WatchStateResponse[] = [];
    const first = deferred();
    call.on('data', (message: WatchStateResponse) => {
      received.push(message);
      first.resolve();
    });
    call.on('error', () => undefined);
    await first.promise;
    call.pause();
    for (let i = 1; i <= changes; i++) {
      state.set({ value: big + BigInt(i), nextOffset: BigInt(i), logId: 'log-1' });
      // Let the server try to write each state, as it would between event batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    call.resume();
    await waitFor(() => received.at(-1)?.state?.nextOffset === BigInt(changes), {
      description: 'the latest state to arrive',
      timeoutMs: 20_000,
    });
    call.cancel();
    expect(received.at(-1)?.state?.value).toBe((big + BigInt(changes)).toString());
    expect(received.length).toBeLessThan(changes / 4);
    const offsets = received.map((message) => message.state?.nextOffset ?? -1n);
    expect([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(offsets);
  });

  it('ends WatchState with UNAVAILABLE when the server shuts down', async () => {
    await start();
    const call = client.watchState({});
    const ended = deferred<ServiceError>();
    call.on('data', () => undefined);
    call.on('error', (error: ServiceError) => ended.resolve(error));
    await waitFor(() => server.openStreams.size === 1, { description: 'the watch to open', timeoutMs: 20_000 });
    await server.shutdown();
    expect(await ended.promise).toMatchObject({ code: status.UNAVAILABLE, details: 'server shutting down' });
  });
});
