import { callUnary, createEventLogClient, createReducerClient, type State } from '@hello-es/contracts';
import { spawnApp, type SpawnedApp } from '@hello-es/test-support';
import { listenVariableFor } from '../config';

/**
 * Helpers for tests that run the built eventlog and reducers as processes
 * (dist/apps/*: the test targets depend on their builds).
 */
export interface LogProcessOptions {
  readonly dataDir: string;
  /** Fixed port, for a log that must come back on the same address. */
  readonly port: number;
  readonly seed?: readonly bigint[];
}

export function spawnEventLog(options: LogProcessOptions): Promise<SpawnedApp> {
  const env: Record<string, string> = { EVENTLOG_LISTEN: `127.0.0.1:${options.port}`, DATA_DIR: options.dataDir };
  if (options.seed) env['EVENTLOG_SEED'] = options.seed.join(',');
  return spawnApp('eventlog', { env });
}

export interface ReducerProcessOptions {
  /** A reducer app under dist/apps/<name> (built by the test target's dependsOn). */
  readonly name: string;
  readonly eventLogPort: number;
  readonly dataDir: string;
  readonly env?: Record<string, string>;
}

/** A reducer process on a free port; reconnects fast (backoff capped at 200 ms) for quick tests. */
export function spawnReducer(options: ReducerProcessOptions): Promise<SpawnedApp> {
  return spawnApp(options.name, {
    env: {
      [listenVariableFor(options.name)]: '127.0.0.1:0',
      EVENTLOG_URL: `127.0.0.1:${options.eventLogPort}`,
      DATA_DIR: options.dataDir,
      REDUCER_BACKOFF_INITIAL_MS: '20',
      REDUCER_BACKOFF_MAX_MS: '200',
      ...options.env,
    },
  });
}

/** The reducer's "caught up at offset N (…)" lines. */
export const CAUGHT_UP = /^caught up at offset \d+/;

/** Appends `values` in one Append; returns the log's next offset after it. */
export async function append(logAddress: string, values: readonly bigint[], idempotencyKey = ''): Promise<bigint> {
  const client = createEventLogClient(logAddress);
  try {
    const reply = await callUnary(client.append.bind(client), { values: [...values], idempotencyKey }, { timeoutMs: 20_000 });
    return reply.nextOffset;
  } finally {
    client.close();
  }
}

/** GetState, waiting for `minNextOffset` when given. */
export async function getState(reducerAddress: string, minNextOffset?: bigint, timeoutMs = 20_000): Promise<State> {
  const client = createReducerClient(reducerAddress);
  try {
    const reply = await callUnary(client.getState.bind(client), { minNextOffset }, { timeoutMs });
    if (!reply.state) throw new Error('GetState answered without a state');
    return reply.state;
  } finally {
    client.close();
  }
}

/** The fields of the app's JSON log lines whose msg is `msg` (or matches it). */
export function logLines(app: SpawnedApp, msg: string | RegExp): Record<string, unknown>[] {
  return app.output.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const text = parsed['msg'];
      const matches = typeof msg === 'string' ? text === msg : typeof text === 'string' && msg.test(text);
      return matches ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
