#!/usr/bin/env node
// The `hello-es` command (package.json "bin"): runs dist/apps/cli/main.js,
// building it first when it is missing, with the caller's arguments and exit code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(workspaceRoot, 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(main)) {
  const built = spawnSync(process.execPath, [join(workspaceRoot, 'tools', 'scripts', 'build-app.mjs'), 'cli'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const run = spawnSync(process.execPath, ['--enable-source-maps', main, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the child too (same process group); its clean exit code is ours.
process.exit(run.status ?? (run.signal === 'SIGINT' ? 0 : 1));
