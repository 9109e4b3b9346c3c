import { createLogger, exitOnSignals, isConfigError, isDirLocked } from '@hello-es/grpc-server';
import { readReducerConfig } from './config';
import type { Reducer } from './reducer';
import { startReducer } from './start-reducer';

/**
 * The whole main() of a reducer app: reads the config from the environment
 * (a bad setting: the error naming the variable, exit 1), starts the reducer
 * and shuts it down gracefully on SIGINT/SIGTERM (exit 0).
 */
export function runReducerApp(reducer: Reducer, defaultListenAddress: string): void {
  const logger = createLogger(reducer.name);
  const start = async (): Promise<void> => {
    const config = readReducerConfig(process.env, reducer.name, defaultListenAddress);
    const starting = startReducer(reducer, config, logger);
    // Handlers go in before the "listening" line: a SIGTERM right after it must
    // shut down cleanly, not kill the process with the default action.
    exitOnSignals(logger, async () => (await starting).shutdown());
    await starting;
  };
  start().catch((error: unknown) => {
    if (isConfigError(error)) logger.error({ variable: error.variable }, error.message);
    else if (isDirLocked(error)) logger.error({ dir: error.dir, holderPid: error.holderPid }, error.message);
    else logger.error({ err: error }, 'failed to start');
    process.exit(1);
  });
}
