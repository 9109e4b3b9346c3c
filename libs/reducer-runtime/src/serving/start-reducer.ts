import { ReducerServiceService } from '@hello-es/contracts';
import { accessLog, OpenStreams, rpcMetrics, startGrpcServer, type ServerSecurity } from '@hello-es/grpc-server';
import type { Registry } from 'prom-client';
import { lockDirectory, type DirLock, type Logger } from '@hello-es/process';
import { Backoff } from '../following/backoff';
import type { ReducerConfig } from '../config';
import { Follower } from '../following/follower';
import { assertValidReducerName, codecOf, type Reducer } from '../reducer';
import { createReducerMetrics, type ReducerMetrics } from '../metrics/reducer-metrics';
import { ReducerState, type StateView } from '../state/reducer-state';
import { ReducerClosed } from '../state/errors';
import { createReducerServiceImplementation } from './reducer-service';
import { reducerServiceDefinition } from './watch-state-wire';
import { SnapshotScheduler } from '../snapshots/snapshot-scheduler';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { createSubscriptionClient } from '../following/subscription-client';

export interface RunningReducer<S = bigint> {
  /** "host:port" the ReducerService listens on (the real port when asked for 0). */
  readonly address: string;
  readonly port: number;
  /** The current state. */
  state(): StateView<S>;
  /** Events applied since start: what a restart had to replay, plus live ones. */
  applied(): number;
  /** True while subscribed and caught up (health SERVING). */
  isCaughtUp(): boolean;
  /** Snapshots written since start. */
  snapshotsWritten(): number;
  /**
   * Graceful shutdown: stops following the log, fails waiting GetState calls
   * and ends WatchState streams with UNAVAILABLE, stops the server, then
   * writes a final snapshot. Idempotent.
   */
  shutdown(): Promise<void>;
}

/**
 * Starts a reducer: loads its snapshot (setting an unreadable one aside),
 * serves reducer.v1.ReducerService (health NOT_SERVING until caught up), and
 * follows the event log at `config.eventLogAddress`.
 * Rejects if the listen address cannot be bound.
 */
export async function startReducer<S>(
  reducer: Reducer<S>,
  config: ReducerConfig,
  logger: Logger,
  /** TLS, tokens and limits of the ReducerService (readServerSecurity); the caller closes it. */
  security?: ServerSecurity,
  /** Registers the reducer's and its RPCs' metrics here (serving them is the caller's: startMetricsServer). */
  metrics?: Registry,
): Promise<RunningReducer<S>> {
  assertValidReducerName(reducer.name);
  const store = new SnapshotStore<S>(config.dataDir, reducer.name, codecOf(reducer));
  // Before the snapshot is read: two reducers on one folder would overwrite
  // each other's snapshots (issue 10). Throws DirLocked naming the holder.
  const lock = await lockDirectory(store.folder);
  if (lock.tookOverFromPid !== undefined) {
    logger.warn({ dir: store.folder, deadPid: lock.tookOverFromPid }, 'took over the lock of a process that is gone');
  }
  try {
    return await startLocked(reducer, config, logger, store, lock, security, metrics);
  } catch (error: unknown) {
    await lock.release();
    throw error;
  }
}

async function startLocked<S>(
  reducer: Reducer<S>,
  config: ReducerConfig,
  logger: Logger,
  store: SnapshotStore<S>,
  lock: DirLock,
  security: ServerSecurity | undefined,
  registry: Registry | undefined,
): Promise<RunningReducer<S>> {
  const initial = await loadInitialState(reducer, store, logger);
  const state = new ReducerState(initial);
  const metrics: ReducerMetrics | undefined = registry ? createReducerMetrics(registry, reducer.name) : undefined;
  const openStreams = new OpenStreams();
  const server = await startGrpcServer({
    address: config.listenAddress,
    logger,
    openStreams,
    // The metrics outermost, so their durations include the access log.
    interceptors: [...(registry ? [rpcMetrics(registry, [ReducerServiceService])] : []), accessLog(logger)],
    initiallyServing: false,
    ...(security ? { credentials: security.credentials, channelOptions: security.channelOptions } : {}),
    services: [
      {
        name: 'reducer.v1.ReducerService',
        definition: reducerServiceDefinition,
        implementation: createReducerServiceImplementation({
          reducerName: reducer.name,
          state,
          codec: codecOf(reducer),
          maxWaitMs: config.maxWaitMs,
          openStreams,
          logger,
        }),
      },
    ],
  });
  const scheduler = new SnapshotScheduler({
    store,
    reducerName: reducer.name,
    current: () => state.view,
    everyEvents: config.snapshotEveryEvents,
    everyMs: config.snapshotEveryMs,
    logger,
    ...(metrics ? { observer: metrics.snapshots } : {}),
  });
  if (initial.logId !== '') scheduler.noteSaved(initial);
  const client = createSubscriptionClient(config.eventLogAddress, config.eventLogSecurity);
  metrics?.watch(state as ReducerState<unknown>, () => client.logHead(LOG_HEAD_TIMEOUT_MS));
  const follower = new Follower({
    reducer,
    state,
    client,
    snapshots: store,
    scheduler,
    backoff: new Backoff(config.backoffInitialMs, config.backoffMaxMs),
    logger,
    eventLogAddress: config.eventLogAddress,
    setServing: (serving) => server.setServing(serving),
    ...(metrics ? { observer: metrics.follower } : {}),
  });
  follower.start();

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    await follower.stop();
    client.close();
    state.close(new ReducerClosed());
    await server.shutdown();
    const view = state.view;
    if (await scheduler.flush(view)) logger.info({ nextOffset: view.nextOffset.toString() }, 'final snapshot written');
    await lock.release();
  };
  return {
    address: server.address,
    port: server.port,
    state: () => state.view,
    applied: () => follower.applied,
    isCaughtUp: () => follower.isCaughtUp,
    snapshotsWritten: () => scheduler.written,
    shutdown: () => (shutdownPromise ??= shutdown()),
  };
}

/** How long a scrape waits for the log's head (GetLogInfo) before using the last head seen. */
export const LOG_HEAD_TIMEOUT_MS = 1_000;

async function loadInitialState<S>(reducer: Reducer<S>, store: SnapshotStore<S>, logger: Logger): Promise<StateView<S>> {
  const fresh: StateView<S> = { value: reducer.initial, nextOffset: 0n, logId: '' };
  const loaded = await store.load();
  switch (loaded.kind) {
    case 'none':
      logger.info({ file: store.file }, 'no snapshot: building the state from offset 0');
      return fresh;
    case 'loaded':
      logger.info(
        { file: store.file, nextOffset: loaded.snapshot.nextOffset.toString(), logId: loaded.snapshot.logId },
        'snapshot loaded',
      );
      return { value: loaded.snapshot.value, nextOffset: loaded.snapshot.nextOffset, logId: loaded.snapshot.logId };
    case 'unreadable': {
      const setAsideAs = await store.setAside();
      logger.warn({ reason: loaded.reason, file: setAsideAs }, 'unreadable snapshot set aside; rebuilding from offset 0');
      return fresh;
    }
  }
}
