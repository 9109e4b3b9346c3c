// Composition root of the event log: read the configuration once, start the
// server, stop cleanly on SIGTERM/SIGINT.
import { createLogger, exitOnSignals } from '@hello-es/grpc-server';
import { readEventLogConfig } from './config';
import { startEventLogServer } from './event-log-server';

async function main(): Promise<void> {
  const logger = createLogger('eventlog');
  const config = readEventLogConfig(process.env);
  logger.info({ storage: config.storage, maxAppendValues: config.maxAppendValues }, 'starting');
  const starting = startEventLogServer(config, logger);
  // Handlers go in before the "listening" line: a SIGTERM right after it must
  // shut down cleanly, not kill the process with the default action.
  exitOnSignals(logger, async () => (await starting).shutdown());
  await starting;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
