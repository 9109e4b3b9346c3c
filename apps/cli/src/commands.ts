import { createInterface } from 'node:readline';
import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import {
  callUnary,
  createEventLogClient,
  createReducerClient,
  type AppendResponse,
  type Event,
  type State,
  type SubscribeResponse,
} from '@hello-es/contracts';
import { eventLogAddress, reducerAddress, type GlobalOptions } from './addresses';
import { CliError, EXIT_USAGE, toCliError } from './errors';
import { parseInt64 } from './int64';
import { printJson, printLine } from './output';

/** Deadline of every unary call: a server that is down is reported within it (waitForReady stays off). */
export const CALL_TIMEOUT_MS = 5_000;
/** Values per Append for --stdin. */
export const STDIN_BATCH = 1_000;

async function withLog<T>(options: GlobalOptions, run: (client: ReturnType<typeof createEventLogClient>) => Promise<T>): Promise<T> {
  const address = eventLogAddress(options);
  const client = createEventLogClient(address);
  try {
    return await run(client);
  } catch (error) {
    throw toCliError(error, address);
  } finally {
    client.close();
  }
}

function printAppend(reply: AppendResponse, options: GlobalOptions): void {
  if (options.json) {
    printJson({ firstOffset: reply.firstOffset, nextOffset: reply.nextOffset, duplicate: reply.duplicate });
    return;
  }
  const last = reply.nextOffset - 1n;
  const range = reply.firstOffset === last ? `offset ${last}` : `offsets ${reply.firstOffset}..${last}`;
  printLine(`${range}${reply.duplicate ? ' (duplicate)' : ''}, next offset ${reply.nextOffset}`);
}

export interface AppendOptions {
  readonly key?: string;
  readonly expectNextOffset?: bigint;
  readonly stdin?: boolean;
}

export async function appendCommand(values: bigint[], local: AppendOptions, options: GlobalOptions): Promise<void> {
  if (local.stdin) return appendStdin(local, options);
  if (values.length === 0) throw new CliError('append needs at least one value (or --stdin)', EXIT_USAGE);
  await withLog(options, async (client) => {
    const reply = await callUnary(
      client.append.bind(client),
      { values, expectedNextOffset: local.expectNextOffset, idempotencyKey: local.key ?? '' },
      { timeoutMs: CALL_TIMEOUT_MS },
    );
    printAppend(reply, options);
  });
}

/** Reads one integer per line and appends them in batches of {@link STDIN_BATCH}, one Append at a time (order kept). */
async function appendStdin(local: AppendOptions, options: GlobalOptions): Promise<void> {
  if (local.expectNextOffset !== undefined || local.key !== undefined) {
    throw new CliError('--stdin cannot be combined with --key or --expect-next-offset', EXIT_USAGE);
  }
  const values: bigint[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    try {
      values.push(parseInt64(line));
    } catch (error) {
      throw new CliError(`stdin line ${lineNumber}: ${(error as Error).message}`, EXIT_USAGE);
    }
  }
  await withLog(options, async (client) => {
    const started = process.hrtime.bigint();
    let first: bigint | undefined;
    let next = 0n;
    for (let index = 0; index < values.length; index += STDIN_BATCH) {
      const reply = await callUnary(
        client.append.bind(client),
        { values: values.slice(index, index + STDIN_BATCH), idempotencyKey: '' },
        { timeoutMs: CALL_TIMEOUT_MS * 4 },
      );
      first ??= reply.firstOffset;
      next = reply.nextOffset;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = seconds > 0 ? Math.round(values.length / seconds) : values.length;
    if (options.json) printJson({ events: values.length, firstOffset: first ?? next, nextOffset: next, eventsPerSecond: rate });
    else printLine(`appended ${values.length} events, next offset ${next}, ${rate} events/s`);
  });
}

function printEvent(event: Event, options: GlobalOptions): void {
  if (options.json) printJson({ offset: event.offset, value: event.value, appendTime: event.appendTime });
  else printLine(`${event.offset}\t${event.value}\t${event.appendTime?.toISOString() ?? ''}`);
}

export async function readCommand(local: { from?: bigint; count?: bigint }, options: GlobalOptions): Promise<void> {
  await withLog(options, async (client) => {
    const stream = client.read(
      { fromOffset: local.from ?? 0n, maxCount: local.count ?? 0n },
      new Metadata(),
      { deadline: Date.now() + CALL_TIMEOUT_MS * 12 },
    );
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (reply: { events: Event[] }) => reply.events.forEach((event) => printEvent(event, options)));
      stream.on('error', reject);
      stream.on('end', resolve);
    });
  });
}

export async function tailCommand(local: { from?: bigint; fromEnd?: boolean }, options: GlobalOptions): Promise<void> {
  if (local.from !== undefined && local.fromEnd) throw new CliError('use --from or --from-end, not both', EXIT_USAGE);
  await withLog(options, async (client) => {
    let from = local.from ?? 0n;
    if (local.fromEnd) {
      from = (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS })).nextOffset;
    }
    const stream: ClientReadableStream<SubscribeResponse> = client.subscribe({ fromOffset: from, subscriberName: 'hello-es-cli-tail' });
    await followUntilInterrupted(stream, (reply) => {
      const kind = reply.kind;
      if (kind?.$case === 'events') kind.value.events.forEach((event) => printEvent(event, options));
      else if (kind?.$case === 'started' && options.json) printJson({ started: kind.value });
      else if (kind?.$case === 'caughtUp' && options.json) printJson({ caughtUp: kind.value });
      else if (kind?.$case === 'started') process.stderr.write(`following log ${kind.value.logId} from offset ${from}\n`);
    });
  });
}

export async function infoCommand(options: GlobalOptions): Promise<void> {
  await withLog(options, async (client) => {
    const info = await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS });
    if (options.json) printJson({ address: eventLogAddress(options), ...info });
    else printLine(`log id ${info.logId}\nnext offset ${info.nextOffset}\nstorage ${info.storage}`);
  });
}

export async function subscriptionsCommand(options: GlobalOptions): Promise<void> {
  await withLog(options, async (client) => {
    const reply = await callUnary(client.listSubscriptions.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS });
    if (options.json) {
      reply.subscriptions.forEach((subscription) => printJson(subscription));
      return;
    }
    const rows = [
      ['NAME', 'PEER', 'NEXT OFFSET', 'LAG', 'SINCE'],
      ...reply.subscriptions.map((s) => [s.subscriberName || '-', s.peer, String(s.nextOffset), String(s.lag), s.since?.toISOString() ?? '']),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    rows.forEach((row) => printLine(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()));
  });
}

function printState(state: State, options: GlobalOptions): void {
  if (options.json) printJson(state);
  else printLine(`${state.reducer} = ${state.value} (next offset ${state.nextOffset})`);
}

/** Follows WatchState: the current state, then each change; Ctrl-C ends it (exit 0). */
async function watchState(client: ReturnType<typeof createReducerClient>, options: GlobalOptions): Promise<void> {
  await followUntilInterrupted(client.watchState({}), (reply: { state?: State }) => reply.state && printState(reply.state, options));
}

/**
 * Reads a server stream until it ends, or until Ctrl-C (SIGINT/SIGTERM) ends
 * the follow cleanly: the stream is cancelled and the command exits 0.
 */
function followUntilInterrupted<T>(stream: ClientReadableStream<T>, onData: (message: T) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      stream.cancel();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    stream.on('data', onData);
    stream.on('error', (error) => (stopped ? resolve() : reject(error)));
    stream.on('end', () => resolve());
  });
}

export async function stateCommand(
  target: string,
  local: { minNextOffset?: bigint; watch?: boolean },
  options: GlobalOptions,
): Promise<void> {
  const address = reducerAddress(target, options);
  const client = createReducerClient(address);
  try {
    if (local.watch) {
      if (local.minNextOffset !== undefined) throw new CliError('use --watch or --min-next-offset, not both', EXIT_USAGE);
      // Fail fast (exit 3) when the reducer is down instead of a stream that waits.
      await callUnary(client.getState.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS });
      return await watchState(client, options);
    }
    // Waiting for --min-next-offset may take longer than a plain read.
    const timeoutMs = local.minNextOffset === undefined ? CALL_TIMEOUT_MS : CALL_TIMEOUT_MS * 6;
    const reply = await callUnary(client.getState.bind(client), { minNextOffset: local.minNextOffset }, { timeoutMs });
    const state = reply.state;
    if (!state) throw new CliError('the reducer answered without a state', 2);
    printState(state, options);
  } catch (error) {
    throw toCliError(error, address);
  } finally {
    client.close();
  }
}
