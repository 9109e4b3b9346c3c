import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appNodeArgs, metricsVariableOf, workspaceRoot } from './spawned-app';

export interface FinishedApp {
  /** The exit code, or the signal's name. */
  readonly code: number | string;
  /** Every line it printed (stdout and stderr). */
  readonly output: string[];
}

/**
 * Runs the built app `dist/apps/NAME/main.js` until it exits, for starts that
 * are meant to fail. Kills it with SIGKILL and rejects, with its output, if it
 * is still running after `timeoutMs`.
 */
export async function runAppUntilExit(name: string, env: Record<string, string>, timeoutMs = 15_000): Promise<FinishedApp> {
  const main = join(workspaceRoot, 'dist', 'apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx build ${name}" first`);
  const child = spawn(process.execPath, [...appNodeArgs(name), main], {
    cwd: workspaceRoot,
    // Metrics off unless asked: the default port 9464 may be taken by another test or a running system.
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', [metricsVariableOf(name)]: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const lines = (): string[] => Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== '');
  return new Promise<FinishedApp>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} was still running after ${timeoutMs} ms:\n${lines().join('\n')}`));
    }, timeoutMs);
    // 'close', not 'exit': it comes after the output is all read.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? 'unknown', output: lines() });
    });
  });
}

/** Every file under `dir` (recursively) with its bytes, keyed by its path relative to `dir`. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const tree = new Map<string, Buffer>();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : join(relative, entry.name);
      if (entry.isDirectory()) await walk(path);
      else tree.set(path, await readFile(join(dir, path)));
    }
  };
  await walk('');
  return tree;
}
