// Composition root of the event log: read the configuration once, start the
// server, stop cleanly on SIGTERM/SIGINT.
import { createLogger, exitOnSignals, isConfigError, readServerSecurity, reloadOnSighup } from '@hello-es/grpc-server';
import { readEventLogConfig } from './config';
import { startEventLogServer } from './event-log-server';

async function main(): Promise<void> {
  const logger = createLogger('eventlog');
  const config = readEventLogConfig(process.env);
  logger.info({ storage: config.storage, logDir: config.logDir, maxAppendValues: config.maxAppendValues }, 'starting');
  const security = readServerSecurity(process.env, 'EVENTLOG', 'EVENTLOG_LISTEN', config.listen, logger);
  reloadOnSighup(security);
  const starting = startEventLogServer(config, logger, { security });
  // Handlers go in before the "listening" line: a SIGTERM right after it must
  // shut down cleanly, not kill the process with the default action.
  exitOnSignals(logger, async () => (await starting).shutdown());
  await starting;
}

main().catch((error: unknown) => {
  // A bad TLS or tokens file names its variable; say so on stderr as well as in the log.
  if (isConfigError(error)) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
