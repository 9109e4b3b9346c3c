import {
  createEventLogClient,
  createReducerClient,
  type EventLogServiceClient,
  type ReducerServiceClient,
} from '@hello-es/contracts';
import { makeTempDir, removeTempDir, type SpawnedApp } from '@hello-es/test-support';
import { ExpectedFold } from '../values';
import { spawnEventlog, spawnReducer, type SpawnContext } from './apps';

/** The three apps of one fresh deployment, with a client for each. */
export interface System {
  readonly dataDir: string;
  readonly eventlog: SpawnedApp;
  readonly log: EventLogServiceClient;
  readonly reducers: readonly RunningReducer[];
  /** What the reducers must show: the fold of everything appended so far. */
  readonly expected: ExpectedFold;
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
 * all on one temp DATA_DIR as `nx run-many -t serve` would.
 */
export async function startSystem(context: SpawnContext, withReducers = true): Promise<System> {
  const dataDir = await makeTempDir('hello-es-bench-');
  const started: SpawnedApp[] = [];
  try {
    const eventlog = await spawnEventlog(context, dataDir);
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
    const stop = async (): Promise<void> => {
      log.close();
      for (const reducer of reducers) reducer.client.close();
      await Promise.all(started.map((app) => app.stop()));
      await removeTempDir(dataDir);
    };
    return { dataDir, eventlog, log, reducers, expected: new ExpectedFold(), stop };
  } catch (error: unknown) {
    await Promise.all(started.map((app) => app.kill()));
    await removeTempDir(dataDir);
    throw error;
  }
}
