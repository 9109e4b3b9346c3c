import type { Logger } from './logger';

/**
 * Runs `shutdown` once on the first SIGINT or SIGTERM, then exits 0 (or 1 if
 * shutdown failed). A second signal while shutting down exits at once.
 */
export function exitOnSignals(logger: Logger, shutdown: () => Promise<void>): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    shutdown().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
