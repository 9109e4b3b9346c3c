import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { OpenStreams, startGrpcServer, type Logger } from '@hello-es/grpc-server';
import type { EventLogConfig } from './config';
import { mapEventLogError } from './error-mapping';
import { appendHandler } from './service/append';
import { getLogInfoHandler } from './service/get-log-info';
import type { HandlerDeps } from './service/handler-deps';
import { listSubscriptionsHandler } from './service/list-subscriptions';
import { readHandler } from './service/read';
import { eventLogServiceDefinition } from './service/service-definition';
import { subscribeHandler } from './service/subscribe';
import { SubscriptionRegistry } from './service/subscription-registry';
import type { FileLayer } from './store/file-layer';
import { FileLogStore } from './store/file-log-store';
import type { LogStore } from './store/log-store';
import { MemoryLogStore } from './store/memory-log-store';

export interface EventLogServerOptions {
  /** Replaces the real file system under the file store (fault-injection tests). */
  readonly fileLayer?: FileLayer;
  /** Replaces the configured store entirely (for backends under test). */
  readonly store?: LogStore;
}

export interface RunningEventLogServer {
  /** "host:port" with the bound port. */
  readonly address: string;
  readonly port: number;
  readonly store: LogStore;
  readonly registry: SubscriptionRegistry;
  /** Ends subscriptions with UNAVAILABLE, lets in-flight appends finish, closes the store. Idempotent. */
  shutdown(): Promise<void>;
}

export async function openLogStore(config: EventLogConfig, logger: Logger, fileLayer?: FileLayer): Promise<LogStore> {
  if (config.storage === 'memory') return new MemoryLogStore();
  return FileLogStore.open({ dir: config.logDir, logger, verifyOnOpen: config.verifyOnStart, onTailDamage: config.onTailDamage, ...(fileLayer ? { fileLayer } : {}) });
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
  const store = options.store ?? (await openLogStore(config, logger, options.fileLayer));
  try {
    if (config.seed && config.seed.length > 0 && store.nextOffset() === 0n) {
      await store.append({ values: config.seed });
      logger.info({ values: config.seed.length }, 'seeded the new log');
    }
    const openStreams = new OpenStreams();
    const registry = new SubscriptionRegistry();
    const deps: HandlerDeps = {
      store,
      registry,
      context: { logger, mapDomainError: mapEventLogError, openStreams },
      maxAppendValues: config.maxAppendValues,
    };
    const implementation: UntypedServiceImplementation = {
      append: appendHandler(deps),
      subscribe: subscribeHandler(deps),
      read: readHandler(deps),
      getLogInfo: getLogInfoHandler(deps),
      listSubscriptions: listSubscriptionsHandler(deps),
    };
    const server = await startGrpcServer({
      address: config.listen,
      logger,
      openStreams,
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
    return { address: server.address, port: server.port, store, registry, shutdown };
  } catch (error: unknown) {
    await store.close();
    throw error;
  }
}
