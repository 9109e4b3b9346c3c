import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { deferred, withTimeout, workspaceRoot } from '@hello-es/test-support';

/** Starts a TypeScript file of this folder in its own Node process (tsx resolves the path aliases). */
export function spawnScript(file: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(__dirname, file), ...args], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a script to its end and parses the JSON it printed last; rejects with its stderr on failure. */
export async function runScript<T>(file: string, args: readonly string[], timeoutMs: number): Promise<T> {
  const child = spawnScript(file, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = deferred<number>();
  child.once('exit', (code) => exited.resolve(code ?? -1));
  try {
    const code = await withTimeout(exited.promise, timeoutMs, `${file} to finish`);
    if (code !== 0) throw new Error(`${file} exited with ${code}: ${stderr.trim()}`);
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as T;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Resolves with the port a script printed as {"port": N}; rejects after 30 s. */
export async function listeningPort(stdout: NodeJS.ReadableStream | null): Promise<number> {
  const port = deferred<number>();
  let text = '';
  stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const match = /\{"port":(\d+)\}/.exec(text);
    if (match?.[1]) port.resolve(Number(match[1]));
  });
  return withTimeout(port.promise, 30_000, 'the bare grpc-js server to listen');
}
