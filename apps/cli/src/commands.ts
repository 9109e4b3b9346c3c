import { Metadata, status, type ClientReadableStream } from '@grpc/grpc-js';
import { callUnary, type AppendResponse, type Event, type ReducerServiceClient, type State, type SubscribeResponse } from '@hello-es/contracts';
import { eventLogAddress, reducerAddress, type GlobalOptions } from './addresses';
import { APPEND_TIMEOUT_MS, CALL_TIMEOUT_MS, withLog, withReducer } from './clients';
import { appendStdin } from './append-stdin';
import { CliError, EXIT_SERVER_ERROR, EXIT_USAGE } from './errors';
import { jsonText, printJson, printLine } from './output';
import { startProgress } from './progress';

/** A read of at least this many events shows a progress bar on a terminal. */
export const LONG_READ_EVENTS = 10_000n;

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
  readonly inFlight?: number;
}

/** `timeoutMs` is the append's deadline; tests shorten it. */
export async function appendCommand(values: bigint[], local: AppendOptions, options: GlobalOptions, timeoutMs = APPEND_TIMEOUT_MS): Promise<void> {
  if (local.stdin) {
    if (values.length > 0) throw new CliError('give values as arguments or with --stdin, not both', EXIT_USAGE);
    return appendStdin(local, options);
  }
  if (local.inFlight !== undefined) throw new CliError('--in-flight goes with --stdin', EXIT_USAGE);
  if (values.length === 0) throw new CliError('append needs at least one value (or --stdin)', EXIT_USAGE);
  await withLog(options, async (client) => {
    const reply = await callUnary(
      client.append.bind(client),
      { values, expectedNextOffset: local.expectNextOffset, idempotencyKey: local.key ?? '' },
      { timeoutMs },
    ).catch((error: unknown) => {
      if ((error as { code?: number }).code !== status.DEADLINE_EXCEEDED) throw error;
      const retry = local.key === undefined ? 'look with `hello-es read` before appending again; with --key a retry is safe' : 'retrying with the same --key is safe';
      throw new CliError(`DEADLINE_EXCEEDED: no answer within ${timeoutMs / 1_000} s; the append may or may not be stored (${retry})`, EXIT_SERVER_ERROR);
    });
    printAppend(reply, options);
  });
}

/** An event as one line: JSON with --json, else offset, value and append time separated by tabs. */
const eventText = (event: Event, options: GlobalOptions): string =>
  options.json
    ? jsonText({ offset: event.offset, value: event.value, appendTime: event.appendTime })
    : `${event.offset}\t${event.value}\t${event.appendTime?.toISOString() ?? ''}`;

function printEvent(event: Event, options: GlobalOptions): void {
  printLine(eventText(event, options));
}

/**
 * Read: the events from --from, at most --count. A read of at least
 * {@link LONG_READ_EVENTS} shows a bar on a terminal (the events scroll above it).
 */
export async function readCommand(local: { from?: bigint; count?: bigint }, options: GlobalOptions): Promise<void> {
  await withLog(options, async (client) => {
    const from = local.from ?? 0n;
    let total = 0n;
    if (process.stdout.isTTY) {
      const head = (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS })).nextOffset;
      total = head > from ? head - from : 0n;
      if (local.count !== undefined && local.count > 0n && local.count < total) total = local.count;
    }
    const progress = total >= LONG_READ_EVENTS ? startProgress(options, 'events', Number(total)) : startProgress({ ...options, progress: false }, 'events');
    const stream = client.read({ fromOffset: from, maxCount: local.count ?? 0n }, new Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS * 12 });
    let done = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (reply: { events: Event[] }) => {
          for (const event of reply.events) {
            progress.line(eventText(event, options));
          }
          done += reply.events.length;
          progress.update(done);
        });
        stream.on('error', reject);
        stream.on('end', resolve);
      });
    } finally {
      progress.stop();
    }
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
    else printLine(`log id ${info.logId}\nnext offset ${info.nextOffset}\nstorage ${info.storage}\nreplicas ${info.replicas}`);
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
      ['NAME', 'PEER', 'NEXT OFFSET', 'LAG', 'SINCE', 'GATEWAY'],
      ...reply.subscriptions.map((s) => [
        s.subscriberName || '-',
        s.peer,
        String(s.nextOffset),
        String(s.lag),
        s.since?.toISOString() ?? '',
        s.gateway || '-',
      ]),
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
async function watchState(client: ReducerServiceClient, options: GlobalOptions): Promise<void> {
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
  if (local.watch && local.minNextOffset !== undefined) throw new CliError('use --watch or --min-next-offset, not both', EXIT_USAGE);
  await withReducer(address, options, async (client) => {
    if (local.watch) {
      // Fail fast (exit 3) when the reducer is down instead of a stream that waits.
      await callUnary(client.getState.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS });
      return watchState(client, options);
    }
    // Waiting for --min-next-offset may take longer than a plain read.
    const timeoutMs = local.minNextOffset === undefined ? CALL_TIMEOUT_MS : CALL_TIMEOUT_MS * 6;
    const reply = await callUnary(client.getState.bind(client), { minNextOffset: local.minNextOffset }, { timeoutMs });
    const state = reply.state;
    if (!state) throw new CliError('the reducer answered without a state', 2);
    printState(state, options);
  });
}
