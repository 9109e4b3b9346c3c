import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { findFreePort, makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { readReducerConfig } from '../config';
import type { Reducer } from '../reducer';
import { startReducer, type RunningReducer } from '../serving/start-reducer';
import { batch, caughtUp, ScriptedEventLog, started } from '../testing/scripted-event-log';

const adder: Reducer = { name: 'adder', initial: 0n, apply: (state, value) => state + value };
const WAIT = { timeoutMs: 20_000 };

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Issue 10: what the reducer says about its event log, read by a person at every start. */
describe('the reducer runtime logging its event log connection', () => {
  let dataDir: string;
  let lines: Line[];
  const stops: (() => Promise<void>)[] = [];
  const logger = () => pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  const start = async (eventLogUrl: string, name = 'adder'): Promise<RunningReducer> => {
    const config = readReducerConfig(
      { EVENTLOG_URL: eventLogUrl, DATA_DIR: dataDir, ADDER_LISTEN: '127.0.0.1:0', REDUCER_BACKOFF_INITIAL_MS: '10', REDUCER_BACKOFF_MAX_MS: '50' },
      'adder',
      '127.0.0.1:0',
    );
    const running = await startReducer({ ...adder, name }, config, logger());
    stops.push(() => running.shutdown());
    return running;
  };
  const find = (pattern: RegExp): Line[] => lines.filter((line) => pattern.test(line.msg));

  beforeEach(async () => {
    dataDir = await makeTempDir('reducer-logging-');
    lines = [];
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await removeTempDir(dataDir);
  });

  it('says "waiting for the event log" at info on the first failed connect, and warns only after attempt 8', async () => {
    const nobody = `127.0.0.1:${await findFreePort()}`;
    await start(nobody);
    await waitFor(() => find(/event log unavailable; retrying/).length > 0, { description: 'the warning at attempt 8', ...WAIT });
    const [waiting, ...more] = find(/^waiting for the event log/);
    expect(more).toEqual([]);
    expect(waiting).toMatchObject({ level: 30, msg: `waiting for the event log at ${nobody}`, attempts: 1, code: status.UNAVAILABLE });
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings.map((line) => line['attempts'])).toEqual([8]);
  });

  it('logs UNIMPLEMENTED from something that is not an event log at error level, naming EVENTLOG_URL', async () => {
    const notALog = await start(`127.0.0.1:${await findFreePort()}`);
    await start(notALog.address, 'adder-2');
    const [error] = await waitFor(() => {
      const found = find(/is not an event log/);
      return found.length > 0 && found;
    }, { description: 'the configuration error', ...WAIT });
    expect(error).toMatchObject({ level: 50, variable: 'EVENTLOG_URL', code: status.UNIMPLEMENTED, eventLogUrl: notALog.address });
    expect(error?.msg).toContain(`EVENTLOG_URL ${notALog.address} is not an event log`);
    expect(find(/event log unavailable|waiting for the event log at 127.0.0.1:\d+$/).filter((line) => line['eventLogUrl'] === notALog.address)).toEqual([]);
  });

  it('says at each catch-up the offset and how many events that catch-up applied', async () => {
    const log = await ScriptedEventLog.start([
      { messages: [started('log-1', 2n), batch(0n, [1n, 2n]), caughtUp(2n)], then: { code: status.UNAVAILABLE, details: 'restarting' } },
      { messages: [started('log-1', 5n), batch(2n, [3n, 4n, 5n]), caughtUp(5n)], then: 'hold' },
    ]);
    stops.push(() => log.stop());
    const running = await start(log.address);
    await waitFor(() => running.isCaughtUp() && running.state().nextOffset === 5n, { description: 'the second catch-up', ...WAIT });
    await waitFor(() => find(/^caught up/).length === 2, { description: 'two caught-up lines', ...WAIT });
    expect(find(/^caught up/)).toMatchObject([
      { level: 30, msg: 'caught up at offset 2 (2 events applied in this catch-up)', applied: 2, appliedSinceStart: 2 },
      { level: 30, msg: 'caught up at offset 5 (3 events applied in this catch-up)', applied: 3, appliedSinceStart: 5 },
    ]);
    expect(find(/^connected to the event log$/)).toHaveLength(2);
    expect(find(/subscription lost/)).toMatchObject([{ level: 40, code: status.UNAVAILABLE }]);
  });
});
