import type { UntypedHandleCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  accessLog,
  OpenStreams,
  rpcMetrics,
  startGrpcServer,
  type RunningGrpcServer,
  type ServerInterceptor,
  type ServerSecurity,
} from '@hello-es/grpc-server';
import { ConfigError, type Logger } from '@hello-es/process';
import type { Registry } from 'prom-client';
import type { EventLogConfig } from './config';
import { mapEventLogError } from './error-mapping';
import { createEventLogMetrics } from './metrics/event-log-metrics';
import { appendHandler } from './service/append';
import { appendStreamHandler } from './service/append-stream';
import { AppendStreamStats } from './service/append-stream-stats';
import { gatewayName } from './service/gateway-name';
import { getLogInfoHandler } from './service/get-log-info';
import type { HandlerDeps } from './service/handler-deps';
import { listSubscriptionsHandler } from './service/list-subscriptions';
import { readHandler } from './service/read';
import { eventLogServiceDefinition } from './service/service-definition';
import { StartupGate } from './service/startup-gate';
import { subscribeHandler } from './service/subscribe';
import { SubscriptionRegistry } from './service/subscription-registry';
import type { LogStore } from './store/log-store';
import { openLogStore } from './store/open-log-store';
import { localSubscriptionDirectory, type SubscriptionDirectory } from './store/subscription-directory';

export interface EventLogServerOptions {
  /** TLS, tokens and limits (readServerSecurity); default plaintext with no tokens. The caller closes it. */
  readonly security?: ServerSecurity;
  /** Replaces the configured store (tests build one, e.g. over a faulty file layer); closed on shutdown. */
  readonly store?: LogStore;
  /**
   * Registers the RPC and event log metrics here (serving them is the
   * caller's: startMetricsServer). A store passed in `store` is not observed:
   * its appends, group commits and fdatasyncs are not counted.
   */
  readonly metrics?: Registry;
}

export interface RunningEventLogServer {
  /** "host:port" with the bound port. */
  readonly address: string;
  readonly port: number;
  readonly store: LogStore;
  readonly registry: SubscriptionRegistry;
  /** What the open AppendStream calls hold (the flow-control bound made observable). */
  readonly appendStreamStats: AppendStreamStats;
  /** Ends subscriptions with UNAVAILABLE, lets in-flight appends finish, closes the store. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Binds the port, then opens the log store (taking the directory lock and
 * recovering the log), appends EVENTLOG_SEED if the log is new, and serves
 * EventLogService with health and reflection. The port comes first so that
 * a port already in use stops the start before any file of the data
 * directory is read or changed (ConfigError naming EVENTLOG_LISTEN); until
 * the log is open, health says NOT_SERVING, calls wait (StartupGate) and
 * the "listening" line is not logged yet.
 * Rejects with the store's error (DirLocked, CorruptLog, TailDamageRefused…)
 * if the log cannot be opened, after closing the port.
 */
export async function startEventLogServer(
  config: EventLogConfig,
  logger: Logger,
  options: EventLogServerOptions = {},
): Promise<RunningEventLogServer> {
  const openStreams = new OpenStreams();
  const registry = new SubscriptionRegistry();
  const gate = new StartupGate();
  const metrics = options.metrics ? createEventLogMetrics(options.metrics) : undefined;
  let store: LogStore | undefined = options.store;
  // Set once the store is open (a shared backend lists every gateway's).
  const listing: { directory?: SubscriptionDirectory } = {};
  const deps: HandlerDeps = {
    // Read at call time, and calls pass the gate only once the store is set.
    get store(): LogStore {
      if (!store) throw new Error('the log store is not open yet');
      return store;
    },
    get subscriptions(): SubscriptionDirectory {
      if (!listing.directory) throw new Error('the log store is not open yet');
      return listing.directory;
    },
    registry,
    context: { logger, mapDomainError: mapEventLogError, openStreams },
    maxAppendValues: config.maxAppendValues,
    appendStreamWindow: config.appendStreamWindow,
    appendStreamStats: new AppendStreamStats(),
  };
  // Keyed by the definition: an RPC added to the proto without a handler
  // fails to compile instead of answering UNIMPLEMENTED. (The generated
  // EventLogServiceServer does not fit: Append decodes into value columns and
  // Subscribe/Read send pre-encoded bytes, see service-definition.ts.)
  const implementation = {
    append: appendHandler(deps),
    appendStream: appendStreamHandler(deps),
    subscribe: subscribeHandler(deps),
    read: readHandler(deps),
    getLogInfo: getLogInfoHandler(deps),
    listSubscriptions: listSubscriptionsHandler(deps),
  } satisfies Record<keyof typeof eventLogServiceDefinition, UntypedHandleCall>;
  // The gate first: no call reaches the other interceptors before the log is
  // open. Metrics next, so its durations include the access log.
  const interceptors: ServerInterceptor[] = [
    gate,
    ...(options.metrics ? [rpcMetrics(options.metrics, [eventLogServiceDefinition])] : []),
    accessLog(logger),
  ];
  const server = await bindServer(config, logger, openStreams, interceptors, implementation, options.security);
  try {
    store ??= await openLogStore(config.storage, logger, metrics?.observer);
    await seedIfNew(store, config, logger);
  } catch (error: unknown) {
    gate.fail();
    await server.shutdown();
    await store?.close();
    throw error;
  }
  const opened = store;
  const local = { gateway: gatewayName(server.address), list: () => registry.list() };
  listing.directory = opened.shareSubscriptions?.(local) ?? localSubscriptionDirectory(local);
  metrics?.watch(opened, registry);
  gate.open();
  server.setServing(true);
  // Only now: tests and launchers take "listening" to mean the log is open.
  logger.info(
    { address: server.address, services: ['eventlog.v1.EventLogService'], head: opened.nextOffset().toString(), logId: opened.logId },
    'listening',
  );
  let stopping: Promise<void> | undefined;
  // A replicated store says when it loses its leader: health follows (and stays NOT_SERVING once stopping).
  opened.onHealth?.((serving) => {
    if (stopping === undefined) server.setServing(serving);
  });
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      await server.shutdown();
      await opened.close();
    })();
    return stopping;
  };
  return { address: server.address, port: server.port, store: opened, registry, appendStreamStats: deps.appendStreamStats, shutdown };
}

async function bindServer(
  config: EventLogConfig,
  logger: Logger,
  openStreams: OpenStreams,
  interceptors: ServerInterceptor[],
  implementation: UntypedServiceImplementation,
  security: ServerSecurity | undefined,
): Promise<RunningGrpcServer> {
  try {
    return await startGrpcServer({
      address: config.listen,
      logger,
      openStreams,
      initiallyServing: false,
      logListening: false,
      interceptors,
      ...(security ? { credentials: security.credentials, channelOptions: security.channelOptions } : {}),
      services: [{ name: 'eventlog.v1.EventLogService', definition: eventLogServiceDefinition, implementation }],
    });
  } catch (error: unknown) {
    if (error instanceof Error && error.message.includes('EADDRINUSE')) {
      throw new ConfigError(
        'EVENTLOG_LISTEN',
        `${config.listen}: the port is in use by another process (is an event log already running there?); nothing in the data directory was read or changed`,
      );
    }
    throw error;
  }
}

async function seedIfNew(store: LogStore, config: EventLogConfig, logger: Logger): Promise<void> {
  if (!config.seed || config.seed.length === 0) return;
  if (store.nextOffset() === 0n) {
    await store.append({ values: config.seed });
    logger.info({ values: config.seed.length }, 'seeded the new log');
  } else {
    // Otherwise a README walk-through on an old DATA_DIR shows other states without a word.
    logger.info(
      { head: store.nextOffset().toString() },
      'EVENTLOG_SEED ignored: the log already has events (it seeds a new, empty log only)',
    );
  }
}
