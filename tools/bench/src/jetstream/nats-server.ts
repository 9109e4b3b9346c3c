import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { deferred, findFreePort, makeTempDir, removeTempDir, withTimeout } from '@hello-es/test-support';

/** Debian's package name, for the skip message and the docs. */
export const NATS_PACKAGE = 'nats-server';

/** The nats-server binary on PATH (plus /usr/sbin, where Debian puts it), or undefined. */
export function findNatsServer(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface NatsServer {
  readonly url: string;
  readonly pid: number;
  readonly version: string;
  stop(): Promise<void>;
}

/**
 * Starts `nats-server -js -sd <tmp> -a 127.0.0.1 -p PORT` and resolves once
 * it logs "Server is ready". JetStream keeps its defaults: file storage,
 * acknowledged before fsync.
 */
export async function startNatsServer(binary: string): Promise<NatsServer> {
  const storeDir = await makeTempDir('hello-es-bench-nats-');
  const port = await findFreePort();
  const child: ChildProcess = spawn(binary, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = deferred();
  const exited = deferred<void>();
  let output = '';
  let version = 'unknown';
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    const match = /Version:\s+(\S+)/.exec(output);
    if (match?.[1]) version = match[1];
    if (output.includes('Server is ready')) ready.resolve();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', (code) => {
    exited.resolve();
    ready.reject(new Error(`nats-server exited (${code}) before it was ready:\n${output}`));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await withTimeout(exited.promise, 10_000, 'nats-server to stop').catch(() => child.kill('SIGKILL'));
    await removeTempDir(storeDir);
  };
  try {
    await withTimeout(ready.promise, 15_000, 'nats-server to be ready');
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  return { url: `127.0.0.1:${port}`, pid: child.pid ?? 0, version, stop };
}
