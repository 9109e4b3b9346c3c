import type { Logger } from './logger';

export interface ExitOnSignalsOptions {
  /** How the process ends (tests replace it). */
  readonly exit?: (code: number) => void;
  /**
   * Says the final line ("stopped", "shutdown failed") somewhere other than
   * the log, returning true if it did (LAUNCHER_TERMINAL: the terminal nx
   * was started from); the line then is not logged too.
   */
  readonly announceFinal?: (message: string) => boolean;
}

/**
 * Runs `shutdown` once on the first SIGINT or SIGTERM, logs "stopped" and
 * exits 0 (or 1 if shutdown failed). A second signal while shutting down
 * exits at once. Returns a function that runs the same shutdown (used when
 * the launcher is gone).
 */
export function exitOnSignals(logger: Logger, shutdown: () => Promise<void>, options: ExitOnSignalsOptions = {}): (reason: string) => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const stop = (reason: string): void => {
    if (shuttingDown) {
      logger.warn({ reason }, 'second signal: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    shutdown().then(
      () => {
        if (!options.announceFinal?.('stopped')) logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        options.announceFinal?.('shutdown failed (see the log)');
        exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return stop;
}
