/**
 * Issue 10: after Ctrl-C under `nx run-many -t serve` no app's "stopped"
 * line reached the terminal, because nx silences its own output on SIGINT
 * and the apps write to a pipe nx reads. With LAUNCHER_TERMINAL=true (set
 * in the serve targets) the line goes to the launcher's terminal directly.
 * The terminal here is a pseudo-terminal made by `script` (util-linux); the
 * launcher starts the app detached with its stdout piped and prints none of
 * it, as nx does after Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, withTimeout } from '@hello-es/test-support';

const workspaceRoot = join(__dirname, '..', '..', '..');

// The app logs "listening" before its start() awaits anything, and the
// launcher sends SIGTERM on that line: this once ended the app by SIGTERM's
// default action ("app exited null") because runApp installed its handlers
// only after start() had run. runApp now installs them first
// (run-app.unit.spec.ts checks the order).

async function runUnderTerminal(launcherTerminal: string, logFormat?: string): Promise<string> {
  const dir = await makeTempDir('stop-line-');
  try {
    const app = [
      "const { runApp } = require('./libs/process/src/index.ts');",
      "runApp({ name: 'stop-line-test', description: 'd', settings: [], readConfig: () => ({}),",
      "  start: async (_c, logger) => { const t = setInterval(() => undefined, 1000); logger.info('listening'); return { stop: async () => clearInterval(t) }; } });",
    ].join('\n');
    // Through script(1) and the launcher to the app.
    const env: NodeJS.ProcessEnv = { ...process.env, LAUNCHER_TERMINAL: launcherTerminal };
    if (logFormat === undefined) delete env['LOG_FORMAT'];
    else env['LOG_FORMAT'] = logFormat;
    const launcher = [
      "const { spawn } = require('node:child_process');",
      `const child = spawn(process.execPath, ['--import', 'tsx', '-e', ${JSON.stringify(app)}], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });`,
      "let seen = '';",
      "child.stdout.on('data', (chunk) => { seen += chunk; if (seen.includes('listening') && !child.killed) { process.stdout.write('first line ' + (seen.startsWith('{') ? 'json' : 'pretty') + '\\n'); child.kill('SIGTERM'); } });",
      "child.stderr.resume();",
      "child.on('exit', (code) => { process.stdout.write('app exited ' + code + '\\n'); process.exit(0); });",
    ].join('\n');
    const transcript = join(dir, 'transcript');
    const command = `${process.execPath} -e ${shellQuote(launcher)}`;
    const script = spawn('script', ['-qfec', command, transcript], { cwd: workspaceRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
    await withTimeout(new Promise<void>((resolve, reject) => {
      script.once('error', reject);
      script.once('exit', () => resolve());
    }), 30_000, 'the launcher under script(1)');
    return await readFile(transcript, 'utf8');
  } finally {
    await removeTempDir(dir);
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

it('writes the final "stopped" line to the launcher\'s terminal when the app\'s own output is a pipe nobody shows', async () => {
  const transcript = await runUnderTerminal('true', 'json');
  expect(transcript).toContain('app exited 0');
  expect(transcript).toContain('first line json');
  expect(transcript).toMatch(/\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(stop-line-test\): stopped/);
}, 40_000);

it('writes nothing to the terminal without LAUNCHER_TERMINAL, and logs JSON to its pipe', async () => {
  const transcript = await runUnderTerminal('false');
  expect(transcript).toContain('app exited 0');
  expect(transcript).toContain('first line json');
  expect(transcript).not.toContain('stopped');
}, 40_000);

it('logs readable lines by default when the launcher runs on a terminal (nx serve from a shell)', async () => {
  const transcript = await runUnderTerminal('true');
  expect(transcript).toContain('first line pretty');
  expect(transcript).toMatch(/INFO \(stop-line-test\): stopped/);
}, 40_000);
