import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { status } from '@grpc/grpc-js';
import { createLogger } from '@hello-es/process';
import { makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { readReducerConfig } from '../config';
import type { Reducer } from '../reducer';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { startReducer, type RunningReducer } from '../serving/start-reducer';
import { checkHealth } from '../testing/health';
import { batch, caughtUp, ScriptedEventLog, started, type SessionScript } from '../testing/scripted-event-log';

const adder: Reducer = { name: 'adder', initial: 0n, apply: (state, value) => state + value };
const logger = createLogger('follower-test', 'silent');
const WAIT = { timeoutMs: 20_000 };

/** The runtime against a scripted log that does what a real log cannot be made to do on cue. */
describe('the reducer runtime following a scripted event log', () => {
  let dataDir: string;
  let log: ScriptedEventLog;
  let reducer: RunningReducer | undefined;

  beforeEach(async () => {
    dataDir = await makeTempDir('reducer-follower-');
  });
  afterEach(async () => {
    await reducer?.shutdown();
    reducer = undefined;
    await log.stop();
    await removeTempDir(dataDir);
  });

  async function run(scripts: SessionScript[]): Promise<RunningReducer> {
    log = await ScriptedEventLog.start(scripts);
    const config = readReducerConfig(
      { EVENTLOG_URL: log.address, DATA_DIR: dataDir, ADDER_LISTEN: '127.0.0.1:0', REDUCER_BACKOFF_INITIAL_MS: '10', REDUCER_BACKOFF_MAX_MS: '50' },
      'adder',
      '127.0.0.1:0',
    );
    reducer = await startReducer(adder, config, logger);
    return reducer;
  }

  it('reports NOT_SERVING until caught up, then SERVING with the exact state', async () => {
    const running = await run([{ messages: [started('log-1', 3n), batch(0n, [1n, 2n])], then: 'hold' }]);
    await waitFor(() => running.state().nextOffset === 2n, { description: 'two events applied', ...WAIT });
    expect(await checkHealth(running.address)).toBe('NOT_SERVING');
    expect(running.isCaughtUp()).toBe(false);
    log.push(batch(2n, [3n]), caughtUp(3n));
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(await checkHealth(running.address)).toBe('SERVING');
    expect(running.state()).toEqual({ value: 6n, nextOffset: 3n, logId: 'log-1' });
  });

  it('resubscribes from the next offset after a gap and applies each event once', async () => {
    const running = await run([
      { messages: [started('log-1', 6n), batch(0n, [1n, 2n]), batch(3n, [100n])], then: 'hold' },
      { messages: [started('log-1', 6n), batch(1n, [2n, 4n, 8n, 16n, 32n]), caughtUp(6n)], then: 'hold' },
    ]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(log.requests.map((request) => request.fromOffset)).toEqual([0n, 2n]);
    expect(running.state()).toEqual({ value: 63n, nextOffset: 6n, logId: 'log-1' });
    expect(running.applied()).toBe(6);
    expect(await checkHealth(running.address)).toBe('SERVING');
  });

  it('reconnects with backoff after the stream fails and loses nothing', async () => {
    const running = await run([
      { messages: [], then: { code: status.UNAVAILABLE, details: 'not yet' } },
      { messages: [started('log-1', 4n), batch(0n, [5n, 5n])], then: { code: status.UNAVAILABLE, details: 'gone' } },
      { messages: [started('log-1', 4n), batch(2n, [5n, 5n]), caughtUp(4n)], then: 'hold' },
    ]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(log.requests.map((request) => request.fromOffset)).toEqual([0n, 0n, 2n]);
    expect(running.state()).toEqual({ value: 20n, nextOffset: 4n, logId: 'log-1' });
  });

  it('sets the snapshot aside and rebuilds from 0 when the log id changes', async () => {
    await new SnapshotStore(dataDir, 'adder').save({ reducer: 'adder', value: 1000n, nextOffset: 2n, logId: 'old-log' });
    const running = await run([
      { messages: [started('new-log', 1n)], then: 'hold' },
      { messages: [started('new-log', 1n), batch(0n, [7n]), caughtUp(1n)], then: 'hold' },
    ]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(log.requests.map((request) => request.fromOffset)).toEqual([2n, 0n]);
    expect(running.state()).toEqual({ value: 7n, nextOffset: 1n, logId: 'new-log' });
    const files = await readdir(`${dataDir}/adder`);
    expect(files.some((file) => file.startsWith('snapshot.json.set-aside-'))).toBe(true);
  });

  it('sets the snapshot aside and rebuilds from 0 when its next offset is beyond the head', async () => {
    await new SnapshotStore(dataDir, 'adder').save({ reducer: 'adder', value: 1000n, nextOffset: 50n, logId: 'log-1' });
    const running = await run([
      { messages: [], then: { code: status.OUT_OF_RANGE, details: 'from_offset 50 is beyond the head 1' } },
      { messages: [started('log-1', 1n), batch(0n, [9n]), caughtUp(1n)], then: 'hold' },
    ]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(log.requests.map((request) => request.fromOffset)).toEqual([50n, 0n]);
    expect(running.state()).toEqual({ value: 9n, nextOffset: 1n, logId: 'log-1' });
    expect((await readdir(`${dataDir}/adder`)).filter((file) => file.includes('set-aside'))).toHaveLength(1);
  });

  it('sets an unreadable snapshot aside at start and rebuilds from 0', async () => {
    const store = new SnapshotStore(dataDir, 'adder');
    await store.load();
    await writeFile(store.file, '{"format":1,"reducer":"adder","logId":"log-1","nextOffset":"7","val');
    const running = await run([{ messages: [started('log-1', 2n), batch(0n, [3n, 4n]), caughtUp(2n)], then: 'hold' }]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    expect(log.requests.map((request) => request.fromOffset)).toEqual([0n]);
    expect(running.state()).toEqual({ value: 7n, nextOffset: 2n, logId: 'log-1' });
    expect((await readdir(`${dataDir}/adder`)).filter((file) => file.includes('set-aside'))).toHaveLength(1);
  });

  it('writes a final snapshot on shutdown', async () => {
    const running = await run([{ messages: [started('log-1', 2n), batch(0n, [3n, 4n]), caughtUp(2n)], then: 'hold' }]);
    await waitFor(() => running.isCaughtUp(), { description: 'caught up', ...WAIT });
    await running.shutdown();
    reducer = undefined;
    const loaded = await new SnapshotStore(dataDir, 'adder').load();
    expect(loaded).toEqual({ kind: 'loaded', snapshot: { reducer: 'adder', value: 7n, nextOffset: 2n, logId: 'log-1' } });
    expect(existsSync(`${dataDir}/adder/snapshot.json.tmp-${process.pid}`)).toBe(false);
  });
});
