/**
 * An app started with EXIT_WITH_PARENT=true stops when its launcher is
 * killed with -9 (nx 24 starts apps in a session of their own, so no signal
 * reaches them then).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferred, waitFor, withTimeout } from '@hello-es/test-support';

const workspaceRoot = join(__dirname, '..', '..', '..');

/** Running, and not a zombie waiting for a reaper (the test's container may have none). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

it('stops an app whose launcher was killed with -9', async () => {
  const app = [
    "const { runApp } = require('./libs/process/src/index.ts');",
    "runApp({ name: 'orphan-test', description: 'd', settings: [], readConfig: () => ({}),",
    "  start: async (_c, logger) => { const t = setInterval(() => undefined, 1000); logger.info('listening'); return { stop: async () => clearInterval(t) }; } });",
  ].join('\n');
  // The launcher starts the app detached, as nx run-commands does, and prints its pid.
  const launcher = [
    "const { spawn } = require('node:child_process');",
    `const child = spawn(process.execPath, ['--import', 'tsx', '-e', ${JSON.stringify(app)}], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, EXIT_WITH_PARENT: 'true', LOG_LEVEL: 'info' } });`,
    "console.log('child ' + child.pid);",
    'child.stdout.pipe(process.stdout);',
    'setInterval(() => undefined, 1000);',
  ].join('\n');
  const parent = spawn(process.execPath, ['-e', launcher], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = deferred<number>();
  const listening = deferred<void>();
  // A line can arrive split over two chunks, so match on everything read so far.
  let output = '';
  parent.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const match = /child (\d+)\n/.exec(output);
    if (match) childPid.resolve(Number(match[1]));
    if (output.includes('"listening"')) listening.resolve();
  });
  const pid = await withTimeout(childPid.promise, 10_000, 'the launcher starting the app');
  try {
    // The parent watch is in place before the app logs "listening".
    await withTimeout(listening.promise, 20_000, 'the app listening');
    parent.kill('SIGKILL');
    await waitFor(() => !isAlive(pid), { timeoutMs: 20_000, description: 'the orphaned app exiting' });
    expect(isAlive(pid)).toBe(false);
  } finally {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
}, 40_000);
