/**
 * A process whose stdout reader has gone away must still shut down: the
 * logger drops lines on EPIPE instead of retrying them for ever.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deferred, withTimeout } from '@hello-es/test-support';

const workspaceRoot = join(__dirname, '..', '..', '..');

it('exits on SIGTERM after the reader of its stdout closed the pipe', async () => {
  const script = [
    "const { createLogger } = require('./libs/process/src/logger.ts');",
    "const logger = createLogger('epipe-test');",
    "process.on('SIGTERM', () => { for (let i = 0; i < 100; i++) logger.info({ i }, 'shutting down'); process.exit(0); });",
    'setInterval(() => logger.info("tick"), 5);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = deferred<number | string>();
  child.once('exit', (code, signal) => exited.resolve(code ?? signal ?? 'unknown'));
  const ready = deferred<void>();
  // A tick is logged from a timer, so the SIGTERM handler is in place by then.
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString('utf8').includes('tick')) ready.resolve();
  });
  await withTimeout(ready.promise, 20_000, 'the child logging a tick');
  child.stdout.destroy();
  child.kill('SIGTERM');
  try {
    await expect(withTimeout(exited.promise, 10_000, 'the child exiting after SIGTERM')).resolves.toBe(0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}, 40_000);
