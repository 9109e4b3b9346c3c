import { createLogger, exitOnSignals, isConfigError, readServerSecurity, reloadOnSighup } from '@hello-es/grpc-server';
import { listenVariableFor, readReducerConfig } from './config';
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
    const prefix = listenVariableFor(reducer.name).replace(/_LISTEN$/, '');
    const security = readServerSecurity(process.env, prefix, listenVariableFor(reducer.name), config.listenAddress, logger);
    reloadOnSighup(security);
    const starting = startReducer(reducer, config, logger, security);
    // Handlers go in before the "listening" line: a SIGTERM right after it must
    // shut down cleanly, not kill the process with the default action.
    exitOnSignals(logger, async () => (await starting).shutdown());
    await starting;
  };
  start().catch((error: unknown) => {
    if (isConfigError(error)) logger.error({ variable: error.variable }, error.message);
    else logger.error({ err: error }, 'failed to start');
    process.exit(1);
  });
}
