import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { accessLog, OpenStreams, startGrpcServer, type ServerSecurity } from '@hello-es/grpc-server';
import type { Logger } from '@hello-es/process';
import type { EventLogConfig } from './config';
import { mapEventLogError } from './error-mapping';
import { appendHandler } from './service/append';
import { appendStreamHandler } from './service/append-stream';
import { AppendStreamStats } from './service/append-stream-stats';
import { getLogInfoHandler } from './service/get-log-info';
import type { HandlerDeps } from './service/handler-deps';
import { listSubscriptionsHandler } from './service/list-subscriptions';
import { readHandler } from './service/read';
import { eventLogServiceDefinition } from './service/service-definition';
import { subscribeHandler } from './service/subscribe';
import { SubscriptionRegistry } from './service/subscription-registry';
import type { LogStore } from './store/log-store';
import { openLogStore } from './store/open-log-store';

export interface EventLogServerOptions {
  /** TLS, tokens and limits (readServerSecurity); default plaintext with no tokens. The caller closes it. */
  readonly security?: ServerSecurity;
  /** Replaces the configured store (tests build one, e.g. over a faulty file layer); closed on shutdown. */
  readonly store?: LogStore;
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
 * Opens the log store (recovering it), appends EVENTLOG_SEED if the log is
 * new, and serves EventLogService with health and reflection. Rejects with
 * the store's error (for example CorruptLog) if the log cannot be opened.
 */
export async function startEventLogServer(
  config: EventLogConfig,
  logger: Logger,
  options: EventLogServerOptions = {},
): Promise<RunningEventLogServer> {
  const store = options.store ?? (await openLogStore(config.storage, logger));
  try {
    if (config.seed && config.seed.length > 0) {
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
    const openStreams = new OpenStreams();
    const registry = new SubscriptionRegistry();
    const deps: HandlerDeps = {
      store,
      registry,
      context: { logger, mapDomainError: mapEventLogError, openStreams },
      maxAppendValues: config.maxAppendValues,
      appendStreamWindow: config.appendStreamWindow,
      appendStreamStats: new AppendStreamStats(),
    };
    const implementation: UntypedServiceImplementation = {
      append: appendHandler(deps),
      appendStream: appendStreamHandler(deps),
      subscribe: subscribeHandler(deps),
      read: readHandler(deps),
      getLogInfo: getLogInfoHandler(deps),
      listSubscriptions: listSubscriptionsHandler(deps),
    };
    const server = await startGrpcServer({
      address: config.listen,
      logger,
      openStreams,
      interceptors: [accessLog(logger)],
      ...(options.security ? { credentials: options.security.credentials, channelOptions: options.security.channelOptions } : {}),
      services: [{ name: 'eventlog.v1.EventLogService', definition: eventLogServiceDefinition, implementation }],
    });
    let stopping: Promise<void> | undefined;
    const shutdown = (): Promise<void> => {
      stopping ??= (async () => {
        await server.shutdown();
        await store.close();
      })();
      return stopping;
    };
    return { address: server.address, port: server.port, store, registry, appendStreamStats: deps.appendStreamStats, shutdown };
  } catch (error: unknown) {
    await store.close();
    throw error;
  }
}
