import { findFreePort, spawnApp, type SpawnedApp } from '@hello-es/test-support';

/** The three apps of the system, by their dist/apps folder name. */
export type AppName = 'eventlog' | 'adder' | 'multiplier';

const LISTEN_VARIABLE: Record<AppName, string> = {
  eventlog: 'EVENTLOG_LISTEN',
  adder: 'ADDER_LISTEN',
  multiplier: 'MULTIPLIER_LISTEN',
};

/**
 * A spawned app that keeps its port and data dir across restarts, so the
 * other apps and the clients find it again at the same address.
 */
export interface ManagedProcess {
  readonly name: AppName;
  readonly address: string;
  /** The pid of the current incarnation. */
  pid(): number;
  /** Every log line of every incarnation so far. */
  output(): readonly string[];
  /** SIGKILL, then wait for the process to end. */
  kill(): Promise<void>;
  /** Start again on the same address and data dir (after kill or stop). */
  restart(): Promise<void>;
  /** SIGTERM and wait; returns the exit code or signal. */
  stop(): Promise<number | string>;
}

export interface ManagedProcessOptions {
  readonly dataDir: string;
  /** Extra environment, e.g. EVENTLOG_URL for the reducers. */
  readonly env?: Record<string, string>;
  readonly port?: number;
}

export async function startManagedProcess(name: AppName, options: ManagedProcessOptions): Promise<ManagedProcess> {
  const port = options.port ?? (await findFreePort());
  const address = `127.0.0.1:${port}`;
  const env = { LOG_LEVEL: 'info', DATA_DIR: options.dataDir, [LISTEN_VARIABLE[name]]: address, ...options.env };
  const previousOutput: string[] = [];
  let app: SpawnedApp | undefined = await spawnApp(name, { env, startTimeoutMs: 30_000 });
  const current = (): SpawnedApp => {
    if (!app) throw new Error(`${name} is not running`);
    return app;
  };
  const retire = (): void => {
    if (app) previousOutput.push(...app.output);
    app = undefined;
  };
  return {
    name,
    address,
    pid: () => current().process.pid ?? -1,
    output: () => [...previousOutput, ...(app?.output ?? [])],
    kill: async () => {
      if (!app) return;
      await app.kill();
      retire();
    },
    stop: async () => {
      if (!app) return 'not running';
      const code = await app.stop();
      retire();
      return code;
    },
    restart: async () => {
      if (app) throw new Error(`${name} is still running`);
      app = await spawnApp(name, { env, startTimeoutMs: 30_000 });
    },
  };
}

/** The event log and both reducers, wired together on one data dir. */
export interface RunningSystem {
  readonly eventlog: ManagedProcess;
  readonly adder: ManagedProcess;
  readonly multiplier: ManagedProcess;
  readonly all: readonly ManagedProcess[];
  /** Kills every process still running (for teardown after a failure). */
  killAll(): Promise<void>;
}

export async function startSystem(dataDir: string, eventlogEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const eventlog = await startManagedProcess('eventlog', { dataDir, env: eventlogEnv });
  const reducerEnv = { EVENTLOG_URL: eventlog.address };
  const started: ManagedProcess[] = [eventlog];
  try {
    const adder = await startManagedProcess('adder', { dataDir, env: reducerEnv });
    started.push(adder);
    const multiplier = await startManagedProcess('multiplier', { dataDir, env: reducerEnv });
    started.push(multiplier);
    const all = [eventlog, adder, multiplier];
    return { eventlog, adder, multiplier, all, killAll: () => killEach(all) };
  } catch (error: unknown) {
    await killEach(started);
    throw error;
  }
}

async function killEach(processes: readonly ManagedProcess[]): Promise<void> {
  await Promise.all(processes.map((process) => process.kill()));
}
