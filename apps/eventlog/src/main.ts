// Composition root of the event log: read the configuration once, start the
// server and its /metrics endpoint, stop cleanly on SIGTERM/SIGINT (libs/process runApp).
import { createMetricsRegistry, readServerSecurity, reloadOnSighup, startMetricsServer } from '@hello-es/grpc-server';
import { runApp } from '@hello-es/process';
import { eventLogSettings, readEventLogConfig } from './config';
import { startEventLogServer } from './event-log-server';
import { loggableStorageConfig } from './store/storage-config';

void runApp({
  name: 'eventlog',
  description: 'The durable gRPC event log (eventlog.v1.EventLogService).',
  settings: eventLogSettings,
  readConfig: readEventLogConfig,
  async start(config, logger) {
    logger.info({ storage: loggableStorageConfig(config.storage), maxAppendValues: config.maxAppendValues }, 'starting');
    // TLS, tokens, limits and protected mode; a bad file is a ConfigError naming its variable.
    const security = readServerSecurity(process.env, 'EVENTLOG', 'EVENTLOG_LISTEN', config.listen, logger);
    reloadOnSighup(security);
    // The endpoint first: a taken port stops the app before it says "listening",
    // and the process metrics are there while a long recovery runs.
    const metricsServer =
      config.metricsListen === undefined
        ? undefined
        : await startMetricsServer({ address: config.metricsListen, registry: createMetricsRegistry(), logger, variable: 'EVENTLOG_METRICS_LISTEN' });
    try {
      const server = await startEventLogServer(config, logger, { security, ...(metricsServer ? { metrics: metricsServer.registry } : {}) });
      return {
        stop: async () => {
          await server.shutdown();
          await metricsServer?.close();
        },
      };
    } catch (error: unknown) {
      await metricsServer?.close();
      throw error;
    }
  },
});
