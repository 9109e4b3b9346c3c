import { status } from '@grpc/grpc-js';
import { createEventLogClient, createReducerClient, MAX_MESSAGE_BYTES } from '@hello-es/contracts';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { checkHealth } from '../system/health';
import { createLogProbe, type LogProbe } from '../system/log-client';
import { startManagedProcess, type ManagedProcess } from '../system/managed-process';
import { statusName } from '../system/rpc-errors';
import { absurdCases } from './absurd-requests';
import { closeSession, openSession, rawGrpcCall } from './raw-grpc-call';
import { EVENTLOG_PATHS, fixedCases, randomCases, REDUCER_PATHS, type RawCase } from './raw-cases';

export interface HostileOptions {
  readonly seed: number;
  readonly garbagePerMethod: number;
  readonly maxValuesPerAppend?: number;
}

export interface HostileResult {
  readonly inputsTried: number;
  readonly passed: number;
  /** How many inputs got each status, e.g. { INVALID_ARGUMENT: 12 }. */
  readonly statuses: Record<string, number>;
  /** The status each fixed (non-random) input got, e.g. "…/Append frame cut short: UNIMPLEMENTED". */
  readonly outcomes: readonly string[];
  readonly failures: readonly string[];
}

/**
 * Sends hostile input at a spawned event log (seeded with 1,1,1,1,2) and an
 * adder following it: broken framing and random bytes over raw HTTP/2 at each
 * method, then absurd values through the generated clients. Each input must
 * get a gRPC status, leave both servers SERVING and the log unchanged.
 */
export async function runHostileInput(options: HostileOptions): Promise<HostileResult> {
  const dataDir = await makeTempDir('reliability-hostile-');
  const eventlog = await startManagedProcess('eventlog', { dataDir, env: { EVENTLOG_SEED: '1,1,1,1,2' } });
  const adder = await startManagedProcess('adder', { dataDir, env: { EVENTLOG_URL: eventlog.address } }).catch(async (error: unknown) => {
    await eventlog.kill();
    throw error;
  });
  const probe = createLogProbe(eventlog.address);
  const tally = new Tally();
  try {
    const baseline = await logContent(probe);
    const guard = async (label: string, code: number | undefined, accepted?: readonly number[]): Promise<void> => {
      const problems: string[] = [];
      if (code === undefined && !label.endsWith('(stream opened)')) problems.push('no grpc-status');
      else if (accepted && (code === undefined || !accepted.includes(code))) problems.push(`got ${statusName(code)}, expected ${accepted.map(statusName).join(' or ')}`);
      // Bad input is the client's fault: INTERNAL or UNKNOWN would tell it the server failed.
      else if (code === status.INTERNAL || code === status.UNKNOWN) problems.push(`got ${statusName(code)} for bad input`);
      problems.push(...(await healthProblems([eventlog, adder])));
      if ((await logContent(probe)) !== baseline) problems.push('the log changed');
      tally.record(label, code, problems);
    };
    await sendRawCases(eventlog, EVENTLOG_PATHS, options, guard);
    await sendRawCases(adder, REDUCER_PATHS, options, guard);
    const bigSender = createEventLogClient(eventlog.address, { channelOptions: { 'grpc.max_send_message_length': 4 * MAX_MESSAGE_BYTES } });
    const reducer = createReducerClient(adder.address);
    try {
      for (const absurd of absurdCases(bigSender, reducer, options.maxValuesPerAppend ?? 10_000)) {
        await guard(absurd.name, await absurd.run(), absurd.accepted);
      }
    } finally {
      bigSender.close();
      reducer.close();
    }
  } finally {
    probe.close();
    await Promise.all([eventlog.kill(), adder.kill()]);
    await removeTempDir(dataDir);
  }
  return tally.result();
}

type Guard = (label: string, code: number | undefined) => Promise<void>;

/** Each case on a connection of its own, so one that breaks the connection cannot spoil the next. */
async function sendRawCases(target: ManagedProcess, paths: readonly string[], options: HostileOptions, guard: Guard): Promise<void> {
  for (const [index, path] of paths.entries()) {
    const cases: RawCase[] = [...fixedCases(path), ...randomCases(path, options.garbagePerMethod, options.seed + index)];
    for (const rawCase of cases) {
      const session = await openSession(target.address);
      try {
        const result = await rawGrpcCall(session, path, rawCase.body);
        const detail = result.streamOpened ? ' (stream opened)' : result.transportError ? ` (${result.transportError})` : '';
        await guard(`${path} ${rawCase.name}${detail}`, result.status);
      } finally {
        await closeSession(session);
      }
    }
  }
}

async function healthProblems(servers: readonly ManagedProcess[]): Promise<string[]> {
  const problems: string[] = [];
  for (const server of servers) {
    const health = await checkHealth(server.address).catch((error: unknown) => `unreachable: ${String(error)}`);
    if (health !== 'SERVING') problems.push(`${server.name} health is ${health}`);
  }
  return problems;
}

/** The log's id, head and every value, as one comparable string. */
async function logContent(probe: LogProbe): Promise<string> {
  const info = await probe.info();
  const values = await probe.readValues();
  return `${info.logId}/${info.nextOffset}/${values.join(',')}`;
}

class Tally {
  private tried = 0;
  private passed = 0;
  private readonly statuses: Record<string, number> = {};
  private readonly failures: string[] = [];
  private readonly outcomes: string[] = [];

  record(label: string, code: number | undefined, problems: readonly string[]): void {
    this.tried += 1;
    const name = label.endsWith('(stream opened)') ? 'STREAM_OPENED' : statusName(code);
    this.statuses[name] = (this.statuses[name] ?? 0) + 1;
    if (!label.includes(' random ')) this.outcomes.push(`${label}: ${name}`);
    if (problems.length === 0) this.passed += 1;
    else this.failures.push(`${label}: ${problems.join('; ')}`);
  }

  result(): HostileResult {
    return { inputsTried: this.tried, passed: this.passed, statuses: { ...this.statuses }, outcomes: [...this.outcomes], failures: [...this.failures] };
  }
}
