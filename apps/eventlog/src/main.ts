// Composition root of the event log: read the configuration once, start the
// server, stop cleanly on SIGTERM/SIGINT (libs/process runApp).
import { runApp } from '@hello-es/process';
import { eventLogSettings, readEventLogConfig } from './config';
import { startEventLogServer } from './event-log-server';

void runApp({
  name: 'eventlog',
  description: 'The durable gRPC event log (eventlog.v1.EventLogService).',
  settings: eventLogSettings,
  readConfig: readEventLogConfig,
  async start(config, logger) {
    logger.info({ storage: config.storage, maxAppendValues: config.maxAppendValues }, 'starting');
    const server = await startEventLogServer(config, logger);
    return { stop: () => server.shutdown() };
  },
});
