import {
  createEventLogClient,
  createReducerClient,
  type EventLogServiceClient,
  type ReducerServiceClient,
} from '@hello-es/contracts';
import { makeTempDir, removeTempDir, type SpawnedApp } from '@hello-es/test-support';
import { ExpectedFold } from '../values';
import { spawnEventlog, spawnReducer, type SpawnContext } from './apps';
import { stopOnInterrupt } from './interrupt';

/** The three apps of one fresh deployment, with a client for each. */
export interface System {
  readonly dataDir: string;
  readonly eventlog: SpawnedApp;
  readonly log: EventLogServiceClient;
  readonly reducers: readonly RunningReducer[];
  /** What the reducers must show: the fold of everything appended so far. */
  readonly expected: ExpectedFold;
  /** The eventlog's backend settings beyond DATA_DIR ({} for the file backend). */
  readonly storageEnv: Readonly<Record<string, string>>;
  /** Stops the apps (SIGTERM), closes the clients and removes the data. */
  stop(): Promise<void>;
}

export interface RunningReducer {
  readonly name: 'adder' | 'multiplier';
  readonly app: SpawnedApp;
  readonly client: ReducerServiceClient;
}

/**
 * Starts eventlog, and unless `withReducers` is false, adder and multiplier,
 * all on one temp DATA_DIR as `nx run-many -t serve` would; `storageEnv`
 * puts the eventlog on another backend (a JetStream gateway).
 */
export async function startSystem(
  context: SpawnContext,
  withReducers = true,
  storageEnv: Readonly<Record<string, string>> = {},
): Promise<System> {
  const dataDir = await makeTempDir('hello-es-bench-');
  const started: SpawnedApp[] = [];
  try {
    const eventlog = await spawnEventlog(context, dataDir, storageEnv);
    started.push(eventlog);
    const reducers: RunningReducer[] = [];
    if (withReducers) {
      for (const name of ['adder', 'multiplier'] as const) {
        const app = await spawnReducer(context, name, eventlog.address, dataDir);
        started.push(app);
        reducers.push({ name, app, client: createReducerClient(app.address) });
      }
    }
    const log = createEventLogClient(eventlog.address);
    // Also on Ctrl-C/SIGTERM: the apps must not outlive an interrupted run.
    const unregister = stopOnInterrupt(() => stop());
    const stop = async (): Promise<void> => {
      unregister();
      log.close();
      for (const reducer of reducers) reducer.client.close();
      await Promise.all(started.map((app) => app.stop()));
      await removeTempDir(dataDir);
    };
    return { dataDir, eventlog, log, reducers, expected: new ExpectedFold(), storageEnv, stop };
  } catch (error: unknown) {
    await Promise.all(started.map((app) => app.kill()));
    await removeTempDir(dataDir);
    throw error;
  }
}

/**
 * Where a workload runs: how to start a fresh system (a fresh log), and the
 * prefix of its figure ids ('' for the default benchmark on the file backend).
 */
export interface Deployment {
  readonly prefix: string;
  start(withReducers: boolean): Promise<System>;
}

/** The default: every app spawned on a temp DATA_DIR, the file backend. */
export function fileDeployment(context: SpawnContext, prefix = ''): Deployment {
  return { prefix, start: (withReducers) => startSystem(context, withReducers) };
}
