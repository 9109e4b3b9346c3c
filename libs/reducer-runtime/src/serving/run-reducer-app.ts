import { createMetricsRegistry, readServerSecurity, reloadOnSighup, startMetricsServer } from '@hello-es/grpc-server';
import { runApp } from '@hello-es/process';
import { listenVariableFor, metricsListenVariableFor, readReducerConfig, reducerSettings } from '../config';
import type { Reducer } from '../reducer';
import { startReducer } from './start-reducer';

/**
 * The whole main() of a reducer app (libs/process runApp): --help, the config
 * from the environment (a bad setting: the error naming the variable, exit
 * 1), the reducer and its /metrics endpoint (<NAME>_METRICS_LISTEN) started,
 * shut down gracefully on SIGINT/SIGTERM (exit 0).
 */
export function runReducerApp<S>(reducer: Reducer<S>, defaultListenAddress: string): void {
  void runApp({
    name: reducer.name,
    description: `The ${reducer.name} reducer (reducer.v1.ReducerService): follows the event log and serves its state.`,
    settings: reducerSettings(reducer.name, defaultListenAddress),
    readConfig: (env) => readReducerConfig(env, reducer.name, defaultListenAddress),
    async start(config, logger) {
      const listenVariable = listenVariableFor(reducer.name);
      const security = readServerSecurity(process.env, listenVariable.replace(/_LISTEN$/, ''), listenVariable, config.listenAddress, logger);
      reloadOnSighup(security);
      // The endpoint first: a taken port stops the app before it says "listening".
      const metricsServer =
        config.metricsListen === undefined
          ? undefined
          : await startMetricsServer({ address: config.metricsListen, registry: createMetricsRegistry(), logger, variable: metricsListenVariableFor(reducer.name) });
      try {
        const running = await startReducer(reducer, config, logger, security, metricsServer?.registry);
        return {
          stop: async () => {
            await running.shutdown();
            await metricsServer?.close();
          },
        };
      } catch (error: unknown) {
        await metricsServer?.close();
        throw error;
      }
    },
  });
}
