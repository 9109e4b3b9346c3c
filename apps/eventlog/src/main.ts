// Composition root of the event log: read the configuration once, start the
// server, stop cleanly on SIGTERM/SIGINT (libs/process runApp).
import { readServerSecurity, reloadOnSighup } from '@hello-es/grpc-server';
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
    const server = await startEventLogServer(config, logger, { security });
    return { stop: () => server.shutdown() };
  },
});
