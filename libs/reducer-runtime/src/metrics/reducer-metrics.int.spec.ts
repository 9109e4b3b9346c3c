/**
 * A reducer's metrics as Prometheus scrapes them: events applied, next
 * offset, lag against the log's head asked at scrape time, connected and
 * caught up, snapshots, and the ReducerService RPCs.
 */
import { callUnary, createReducerClient } from '@hello-es/contracts';
import { createMetricsRegistry, startMetricsServer, type RunningMetricsServer } from '@hello-es/grpc-server';
import { createLogger } from '@hello-es/process';
import { makeTempDir, removeTempDir, scrapeMetrics, waitFor } from '@hello-es/test-support';
import { readReducerConfig } from '../config';
import type { Reducer } from '../reducer';
import { startReducer, type RunningReducer } from '../serving/start-reducer';
import { batch, caughtUp, ScriptedEventLog, started } from '../testing/scripted-event-log';

const adder: Reducer = { name: 'adder', initial: 0n, apply: (state, value) => state + value };
const logger = createLogger('reducer-metrics-test', 'silent');
const WAIT = { timeoutMs: 20_000 };

describe('the reducer metrics', () => {
  let dataDir: string;
  let log: ScriptedEventLog;
  let reducer: RunningReducer;
  let metricsServer: RunningMetricsServer;

  beforeAll(async () => {
    dataDir = await makeTempDir('reducer-metrics-');
    log = await ScriptedEventLog.start([{ messages: [started('log-1', 10n), batch(0n, [1n, 2n, 3n, 4n])], then: 'hold' }]);
    log.head = 10n;
    const registry = createMetricsRegistry();
    const config = readReducerConfig({ EVENTLOG_URL: log.address, DATA_DIR: dataDir, ADDER_LISTEN: '127.0.0.1:0' }, 'adder', '127.0.0.1:0');
    reducer = await startReducer(adder, config, logger, undefined, registry);
    metricsServer = await startMetricsServer({ address: '127.0.0.1:0', registry, logger });
  });

  afterAll(async () => {
    await reducer.shutdown();
    await metricsServer.close();
    await log.stop();
    await removeTempDir(dataDir);
  });

  const scrape = () => scrapeMetrics(metricsServer.address);
  const adderSeries = { reducer: 'adder' };

  it('shows the lag while catching up, then lag 0, caught up and every event applied', async () => {
    await waitFor(() => reducer.state().nextOffset === 4n, { description: 'four events applied', ...WAIT });
    const catchingUp = await scrape();
    expect(catchingUp.value('hello_es_reducer_events_applied_total', adderSeries)).toBe(4);
    expect(catchingUp.value('hello_es_reducer_next_offset', adderSeries)).toBe(4);
    expect(catchingUp.value('hello_es_reducer_lag_events', adderSeries)).toBe(6);
    expect(catchingUp.value('hello_es_reducer_connected', adderSeries)).toBe(1);
    expect(catchingUp.value('hello_es_reducer_caught_up', adderSeries)).toBe(0);

    log.push(batch(4n, [5n, 6n, 7n, 8n, 9n, 10n]), caughtUp(10n));
    await waitFor(() => reducer.isCaughtUp(), { description: 'caught up', ...WAIT });
    const live = await scrape();
    expect(live.value('hello_es_reducer_events_applied_total', adderSeries)).toBe(10);
    expect(live.value('hello_es_reducer_lag_events', adderSeries)).toBe(0);
    expect(live.value('hello_es_reducer_caught_up', adderSeries)).toBe(1);
    expect(live.value('hello_es_reducer_apply_batch_seconds_count', adderSeries)).toBe(2);
    expect(live.value('hello_es_reducer_reconnects_total', adderSeries)).toBe(0);
    // caught_up forces a snapshot.
    await waitFor(() => reducer.snapshotsWritten() >= 1, { description: 'a snapshot', ...WAIT });
    const snapshotted = await scrape();
    expect(snapshotted.value('hello_es_reducer_snapshot_writes_total', adderSeries)).toBe(reducer.snapshotsWritten());
    expect(snapshotted.value('hello_es_reducer_snapshot_write_seconds_count', adderSeries)).toBe(reducer.snapshotsWritten());
    expect(snapshotted.value('hello_es_reducer_snapshot_write_failures_total', adderSeries)).toBe(0);
  });

  /** The lag comes from the log at scrape time: a reducer that receives nothing more still shows what it is missing. */
  it("shows a stalled reducer's lag as the events appended since", async () => {
    log.head = 25n;
    const stalled = await scrape();
    expect(stalled.value('hello_es_reducer_lag_events', adderSeries)).toBe(15);
    expect(stalled.value('hello_es_reducer_events_applied_total', adderSeries)).toBe(10);
  });

  it('counts GetState calls and shows the ones waiting for min_next_offset', async () => {
    const client = createReducerClient(reducer.address);
    try {
      await callUnary(client.getState.bind(client), { minNextOffset: 0n });
      const waiting = callUnary(client.getState.bind(client), { minNextOffset: 11n }, { timeoutMs: 10_000 });
      await waitFor(async () => (await scrape()).value('hello_es_reducer_get_state_waiting', adderSeries) === 1, { description: 'one waiting GetState', ...WAIT });
      log.push(batch(10n, [11n]));
      expect((await waiting).state?.nextOffset).toBe(11n);
      const after = await scrape();
      expect(after.value('hello_es_reducer_get_state_waiting', adderSeries)).toBe(0);
      expect(after.value('hello_es_grpc_server_handled_total', { service: 'reducer.v1.ReducerService', method: 'GetState', code: 'OK' })).toBe(2);
    } finally {
      client.close();
    }
  });
});
