import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { trackOpenResource } from '@hello-es/process';
import { deferred } from './deferred';

/** The repository root (libs/test-support/src → ../../..). */
export const workspaceRoot = resolve(__dirname, '..', '..', '..');

export interface SpawnedApp {
  readonly name: string;
  readonly process: ChildProcess;
  /** "host:port" the app logged as its listening address. */
  readonly address: string;
  /** Every log line the app printed so far. */
  readonly output: string[];
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Sends SIGKILL and waits for the process to end. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits (up to `timeoutMs`) for a clean exit; returns the exit code. */
  stop(timeoutMs?: number): Promise<number | string>;
}

export interface SpawnAppOptions {
  readonly env: Record<string, string>;
  /** How long to wait for the "listening" line (default 15 s). */
  readonly startTimeoutMs?: number;
}

/**
 * Starts the built app `dist/apps/NAME/main.js` (run `nx build NAME` first;
 * the test targets depend on it) and resolves once it logs "listening".
 * Rejects, with what the app printed, if it exits or stays silent first.
 */
export async function spawnApp(name: string, options: SpawnAppOptions): Promise<SpawnedApp> {
  const main = join(workspaceRoot, 'dist', 'apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx build ${name}" first`);
  const child = spawn(process.execPath, [...appNodeArgs(name), main], {
    cwd: workspaceRoot,
    // Metrics off unless a test asks: the apps' default metrics ports are fixed
    // (9464, 9465, …) and tests run in parallel.
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', [metricsVariableOf(name)]: 'off', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listening = deferred<string>();
  const exited = deferred<number | string>();
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      output.push(line);
      const address = listeningAddressIn(line);
      if (address) listening.resolve(address);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const untrack = trackOpenResource(`spawned ${name} (pid ${child.pid ?? '?'})`);
  child.once('exit', (code, signal) => {
    untrack();
    exited.resolve(code ?? signal ?? 'unknown');
    listening.reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
  });
  const timer = setTimeout(
    () => listening.reject(new Error(`${name} did not log "listening" in time:\n${output.join('\n')}`)),
    options.startTimeoutMs ?? 15_000,
  );
  let address: string;
  try {
    address = await listening.promise;
  } catch (error: unknown) {
    child.kill('SIGKILL');
    await exited.promise;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited.promise;
  };
  const stop = async (timeoutMs = 10_000): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited.promise;
    } finally {
      clearTimeout(timeout);
    }
  };
  return { name, process: child, address, output, exited: exited.promise, kill, stop };
}

/**
 * The node flags each app runs with, as in its `serve` target (project.json).
 * The event log caps V8's young generation: at high append rates V8 would
 * otherwise grow it to 48 MB, which is most of the log's peak RSS and buys no
 * throughput (docs/eventlog.md, "Memory").
 */
export function appNodeArgs(name: string): string[] {
  return name === 'eventlog' ? ['--enable-source-maps', '--max-semi-space-size=4'] : ['--enable-source-maps'];
}

/** The app's metrics variable: "eventlog" → EVENTLOG_METRICS_LISTEN, "my-sum" → MY_SUM_METRICS_LISTEN. */
export function metricsVariableOf(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_METRICS_LISTEN`;
}

function listeningAddressIn(line: string): string | undefined {
  if (!line.includes('"listening"')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; address?: unknown };
    return parsed.msg === 'listening' && typeof parsed.address === 'string' ? parsed.address : undefined;
  } catch {
    return undefined;
  }
}
