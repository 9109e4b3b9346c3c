import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { callUnary, createReducerClient } from '@hello-es/contracts';
import { findFreePort, makeTempDir, removeTempDir, waitFor, workspaceRoot } from '@hello-es/test-support';

/**
 * `npx nx g @hello-es/reducer-runtime:reducer` run as a user runs it, in a
 * temporary copy of this workspace (its files as they are now, sharing
 * node_modules): what it refuses, what it writes, and that the new app
 * builds, passes its own tests and starts under `nx run-many -t serve`.
 */
describe('the reducer generator', () => {
  let copy: string;

  beforeAll(async () => {
    copy = await makeTempDir('reducer-generator-');
    const files = git(workspaceRoot, ['ls-files', '-co', '--exclude-standard']).stdout.split('\n').filter((file) => file !== '' && file !== 'node_modules');
    for (const file of files) {
      mkdirSync(join(copy, dirname(file)), { recursive: true });
      cpSync(join(workspaceRoot, file), join(copy, file));
    }
    symlinkSync(realpathSync(join(workspaceRoot, 'node_modules')), join(copy, 'node_modules'));
    git(copy, ['init', '-q']);
    git(copy, ['add', '-A']);
    git(copy, ['-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '-qm', 'copy']);
  }, 120_000);
  afterAll(async () => {
    killAppsRunningIn(copy);
    await removeTempDir(copy);
  });

  const generate = (...args: string[]): SpawnSyncReturns<string> =>
    run(copy, 'npx', ['nx', 'g', '@hello-es/reducer-runtime:reducer', ...args, '--no-interactive']);
  const changedFiles = (): string => git(copy, ['status', '--porcelain']).stdout;

  it.each([
    ['Bad_Name', /not kebab-case/],
    ['two--dashes', /not kebab-case/],
    ['adder', /exists already/],
    ['eventlog', /reserved/],
  ])('refuses the name %s with a message and writes nothing', (name, message) => {
    const result = generate(name);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(changedFiles()).toBe('');
  }, 60_000);

  it.each([
    ['--apply', 'state +', /not a valid expression/],
    ['--apply', 'Number(state) + 1', /must give a bigint/],
    ['--initial', 'Math.PI', /must be a bigint/],
  ])('refuses %s %j with a message and writes nothing', (flag, expression, message) => {
    const result = generate('fine-name', `${flag}=${expression}`);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(changedFiles()).toBe('');
  }, 60_000);

  it('shows the files with --dry-run and writes none', () => {
    const result = generate('sum-of-squares', '--apply=state + value * value', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('CREATE apps/sum-of-squares/src/main.ts');
    expect(result.stdout).toContain('UPDATE libs/contracts/src/known-reducers.json');
    expect(changedFiles()).toBe('');
  }, 60_000);

  it('creates an app that builds, passes its tests, starts under run-many -t serve and folds 1,1,1,1,2 as its apply says', async () => {
    const generated = generate('sum-of-squares', '--apply=state + value * value');
    expect(generated.status).toBe(0);
    const known = JSON.parse(readFileSync(join(copy, 'libs/contracts/src/known-reducers.json'), 'utf8')) as { name: string; listen: string }[];
    const ports = known.map((reducer) => Number(reducer.listen.split(':')[1]));
    expect(known.at(-1)).toEqual({ name: 'sum-of-squares', listen: `127.0.0.1:${Math.max(...ports.slice(0, -1)) + 1}` });
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('| `sum-of-squares` |');

    const checks = run(copy, 'npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', 'test', '-p', 'sum-of-squares', '--output-style=stream']);
    expect({ status: checks.status, output: checks.status === 0 ? '' : checks.stdout + checks.stderr }).toEqual({ status: 0, output: '' });

    const dataDir = await makeTempDir('reducer-generator-data-');
    const [logPort, reducerPort] = [await findFreePort(), await findFreePort()];
    const serving = spawn('npx', ['nx', 'run-many', '-t', 'serve', '-p', 'eventlog', 'sum-of-squares', '--output-style=stream'], {
      cwd: copy,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        EVENTLOG_SEED: '1,1,1,1,2',
        EVENTLOG_LISTEN: `127.0.0.1:${logPort}`,
        EVENTLOG_URL: `127.0.0.1:${logPort}`,
        SUM_OF_SQUARES_LISTEN: `127.0.0.1:${reducerPort}`,
      },
    });
    try {
      const client = createReducerClient(`127.0.0.1:${reducerPort}`);
      try {
        const state = await waitFor(
          () => callUnary(client.getState.bind(client), { minNextOffset: 5n }, { timeoutMs: 2_000 }),
          { description: 'sum-of-squares serving its state', timeoutMs: 90_000, intervalMs: 250 },
        );
        // 1² + 1² + 1² + 1² + 2²
        expect(state.state).toMatchObject({ reducer: 'sum-of-squares', value: '8', nextOffset: 5n });
      } finally {
        client.close();
      }
    } finally {
      if (serving.pid !== undefined) process.kill(-serving.pid, 'SIGTERM');
      killAppsRunningIn(copy);
      await removeTempDir(dataDir);
    }
  }, 240_000);
});

function run(cwd: string, command: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' },
  });
}

function git(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const result = run(cwd, 'git', args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result;
}

/**
 * nx starts each served app in a session of its own, so the launcher's
 * process group does not reach them: find every node process whose working
 * directory is the copy and end it.
 */
function killAppsRunningIn(folder: string): void {
  const root = realpathSync(folder);
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (Number(pid) !== process.pid && readlinkSync(`/proc/${pid}/cwd`).startsWith(root)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
}
