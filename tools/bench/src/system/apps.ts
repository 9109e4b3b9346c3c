import { join } from 'node:path';
import { findFreePort, spawnApp, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';

/** Shared by every spawned app of one benchmark run. */
export interface SpawnContext {
  /** When set, each app writes a CPU profile here on exit (node --cpu-prof). */
  readonly profileDir?: string;
  /** When set, each app serves /metrics on a free loopback port, pushed here for the scraper. */
  readonly metricsPorts?: number[];
}

/** `variable` on a free port when the context wants metrics; otherwise spawnApp's default (off). */
async function metricsEnv(context: SpawnContext, variable: string): Promise<Record<string, string>> {
  if (!context.metricsPorts) return {};
  const port = await findFreePort();
  context.metricsPorts.push(port);
  return { [variable]: `127.0.0.1:${port}` };
}

/**
 * Node refuses --cpu-prof in NODE_OPTIONS and spawnApp takes no node flags,
 * so a --require hook starts the profiler inside the app instead.
 */
function profileEnv(context: SpawnContext): Record<string, string> {
  if (!context.profileDir) return {};
  const hook = join(workspaceRoot, 'tools', 'bench', 'profile-hook.cjs');
  return { NODE_OPTIONS: `--require ${hook}`, BENCH_PROFILE_DIR: context.profileDir };
}

/**
 * Starts the built eventlog on a free loopback port with its data under
 * `dataDir`; `storageEnv` picks another backend (EVENTLOG_STORAGE=jetstream, NATS_URL…).
 */
export async function spawnEventlog(context: SpawnContext, dataDir: string, storageEnv: Readonly<Record<string, string>> = {}): Promise<SpawnedApp> {
  const port = await findFreePort();
  return spawnApp('eventlog', {
    env: {
      EVENTLOG_LISTEN: `127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      ...storageEnv,
      ...profileEnv(context),
      ...(await metricsEnv(context, 'EVENTLOG_METRICS_LISTEN')),
    },
  });
}

export type ReducerName = 'adder' | 'multiplier';

/** Starts the built adder or multiplier following the eventlog at `eventlogAddress`. */
export async function spawnReducer(
  context: SpawnContext,
  name: ReducerName,
  eventlogAddress: string,
  dataDir: string,
): Promise<SpawnedApp> {
  const port = await findFreePort();
  const listen = name === 'adder' ? 'ADDER_LISTEN' : 'MULTIPLIER_LISTEN';
  return spawnApp(name, {
    env: {
      [listen]: `127.0.0.1:${port}`,
      EVENTLOG_URL: eventlogAddress,
      DATA_DIR: dataDir,
      ...profileEnv(context),
      ...(await metricsEnv(context, `${name.toUpperCase()}_METRICS_LISTEN`)),
    },
  });
}

/** Where CPU profiles go when --profile is given. */
export function profileDirFor(startedAt: string): string {
  return join(workspaceRoot, 'reports', 'bench', 'profiles', startedAt.replace(/[:.]/g, '-'));
}
