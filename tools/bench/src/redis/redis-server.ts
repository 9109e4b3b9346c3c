import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { deferred, findFreePort, makeTempDir, removeTempDir, withTimeout } from '@hello-es/test-support';

/** Debian's package name, for the skip message and the docs. */
export const REDIS_PACKAGE = 'redis-server';

/** The redis-server binary on PATH (plus /usr/bin and /usr/sbin, where Debian puts it), or undefined. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly version: string;
  /** Its temp dir (the AOF), removed by `stop`. */
  readonly dir: string;
  /** Kills the server's process group and removes its temp dir; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The arguments of the fair durable peer: an append-only file fsynced on
 * every write (`appendfsync always`), no RDB snapshots, loopback only.
 */
export function redisArguments(dir: string, port: number): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'always',
    '--save', '',
    '--daemonize', 'no',
  ];
}

/**
 * Starts `redis-server` with `redisArguments` in its own session (Node's
 * `detached` runs setsid), so `stop` can kill it and anything it forks (an
 * AOF rewrite child) by process group. Resolves once it logs "Ready to
 * accept connections". The group is also killed if the benchmark exits or is
 * interrupted first: being in its own session, a Ctrl-C would not reach it.
 */
export async function startRedisServer(binary: string): Promise<RedisServer> {
  const dir = await makeTempDir('hello-es-bench-redis-');
  const port = await findFreePort();
  const child: ChildProcess = spawn(binary, redisArguments(dir, port), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? 0;
  const ready = deferred();
  const exited = deferred<void>();
  let output = '';
  let version = 'unknown';
  const onData = (chunk: Buffer): void => {
    if (output.length < 64_000) output += chunk.toString('utf8');
    const match = /Redis version=(\S+)/.exec(output);
    if (match?.[1]) version = match[1].replace(/,$/, '');
    if (output.includes('Ready to accept connections')) ready.resolve();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', (code, signal) => {
    exited.resolve();
    ready.reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output.slice(-2_000)}`));
  });
  child.once('error', (error) => ready.reject(error));

  const killGroup = (signal: NodeJS.Signals): void => {
    if (pid <= 0) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  const onExit = (): void => killGroup('SIGKILL');
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup('SIGKILL');
    removeSignalHandlers();
    process.kill(process.pid, signal);
  };
  const removeSignalHandlers = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup('SIGTERM');
    await withTimeout(exited.promise, 10_000, 'redis-server to stop').catch(() => killGroup('SIGKILL'));
    // An AOF rewrite child would outlive a SIGTERM'd parent: the group goes too.
    killGroup('SIGKILL');
    process.off('exit', onExit);
    removeSignalHandlers();
    await removeTempDir(dir);
  };
  try {
    await withTimeout(ready.promise, 15_000, 'redis-server to be ready');
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  return { host: '127.0.0.1', port, pid, version, dir, stop };
}
