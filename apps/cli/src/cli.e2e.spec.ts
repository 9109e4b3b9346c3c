import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, makeTempDir, removeTempDir, waitFor, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';
import { spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

const CLI = join(workspaceRoot, 'dist', 'apps', 'cli', 'main.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, with `input` on stdin. */
function runCli(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: workspaceRoot, env: { ...process.env, EVENTLOG_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('hello-es CLI against the built event log and adder', () => {
  let dataDir: string;
  let log: SpawnedApp;
  let adder: SpawnedApp;
  let logFlag: string[];

  beforeAll(async () => {
    dataDir = await makeTempDir('cli-e2e-');
    const port = await findFreePort();
    log = await spawnEventLog({ dataDir: join(dataDir, 'log'), port });
    adder = await spawnReducer({ name: 'adder', eventLogPort: port, dataDir: join(dataDir, 'adder') });
    logFlag = ['--log', log.address];
  }, 60_000);
  afterAll(async () => {
    await Promise.all([adder?.kill(), log?.kill()]);
    await removeTempDir(dataDir);
  });

  it('appends with text and --json output, reports a retry as duplicate, and reads back', async () => {
    const first = await runCli([...logFlag, 'append', '3', '4', '-5']);
    expect(first).toMatchObject({ code: 0, stdout: 'offsets 0..2, next offset 3\n' });

    const keyed = await runCli([...logFlag, '--json', 'append', '9223372036854775807', '--key', 'k1']);
    expect(keyed.code).toBe(0);
    expect(jsonLines(keyed.stdout)).toEqual([{ firstOffset: '3', nextOffset: '4', duplicate: false }]);
    const retry = await runCli([...logFlag, '--json', 'append', '9223372036854775807', '--key', 'k1']);
    expect(jsonLines(retry.stdout)).toEqual([{ firstOffset: '3', nextOffset: '4', duplicate: true }]);
    const retryText = await runCli([...logFlag, 'append', '9223372036854775807', '--key', 'k1']);
    expect(retryText.stdout).toBe('offset 3 (duplicate), next offset 4\n');

    const mismatch = await runCli([...logFlag, 'append', '1', '--expect-next-offset', '99']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/^error: FAILED_PRECONDITION: /);

    const read = await runCli([...logFlag, '--json', 'read', '--from', '1', '--count', '3']);
    expect(read.code).toBe(0);
    expect(jsonLines(read.stdout).map(({ offset, value }) => [offset, value])).toEqual([
      ['1', '4'],
      ['2', '-5'],
      ['3', '9223372036854775807'],
    ]);
    const readText = await runCli([...logFlag, 'read', '--count', '1']);
    expect(readText.stdout).toMatch(/^0\t3\t\d{4}-/);

    const state = await runCli(['--adder', adder.address, '--json', 'state', 'adder', '--min-next-offset', '4']);
    expect(state.code).toBe(0);
    expect(jsonLines(state.stdout)[0]).toMatchObject({ reducer: 'adder', value: String(2n + 9223372036854775807n), nextOffset: '4' });
    const stateText = await runCli(['state', adder.address, '--min-next-offset', '4']);
    expect(stateText.stdout).toBe(`adder = ${2n + 9223372036854775807n} (next offset 4)\n`);

    const info = await runCli([...logFlag, '--json', 'info']);
    expect(jsonLines(info.stdout)[0]).toMatchObject({ nextOffset: '4' });
  }, 60_000);

  it.each([['1.5'], ['abc'], ['9223372036854775808'], ['-9223372036854775809']])(
    'rejects the value %s with exit 1, one line and the usage',
    async (value) => {
      const run = await runCli([...logFlag, 'append', value]);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')[0]).toMatch(/^error: .*(not an integer|outside the signed 64-bit range)/);
      expect(run.stderr).toContain('Usage:');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('exits 1 on an unknown command and 3 when the server is down', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(1);
    const downPort = await findFreePort();
    const down = await runCli(['--log', `127.0.0.1:${downPort}`, 'info']);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(new RegExp(`^error: cannot connect to 127\\.0\\.0\\.1:${downPort}: `));
  });

  it('health prints a line per server and exits 3 when one is not serving', async () => {
    const dead = `127.0.0.1:${await findFreePort()}`;
    const run = await runCli([...logFlag, '--adder', adder.address, 'health'], '', { MULTIPLIER_URL: dead, STATS_URL: dead });
    const lines = run.stdout.trim().split('\n');
    expect(lines.find((line) => line.startsWith('eventlog'))).toMatch(/ SERVING$/);
    expect(lines.find((line) => line.startsWith('adder'))).toMatch(/ SERVING$/);
    // The multiplier and stats are not running in this test.
    expect(lines.find((line) => line.startsWith('multiplier'))).toMatch(/UNREACHABLE/);
    expect(run.code).toBe(3);
  });

  it('tail follows a live append and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, ...logFlag, '--json', 'tail', '--from-end'], { cwd: workspaceRoot });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => stdout.includes('"caughtUp"'), { description: 'tail to catch up', timeoutMs: 15_000 });
    const appended = await runCli([...logFlag, '--json', 'append', '-42']);
    const offset = jsonLines(appended.stdout)[0]!['firstOffset'];
    await waitFor(() => jsonLines(stdout).some((line) => line['offset'] === offset && line['value'] === '-42'), {
      description: 'tail to print the live event',
      timeoutMs: 15_000,
    });
    const table = await runCli([...logFlag, 'subscriptions']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+PEER\s+NEXT OFFSET\s+LAG\s+SINCE$/);
    expect(table.stdout).toMatch(/^hello-es-cli-tail\s+\S+\s+\d+\s+\d+\s+\d{4}-/m);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 40_000);

  it('state --watch prints the state after a live append and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, '--adder', adder.address, '--json', 'state', 'adder', '--watch'], {
      cwd: workspaceRoot,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const first = await waitFor(() => jsonLines(stdout)[0], { description: 'the current state', timeoutMs: 15_000 });
    const appended = jsonLines((await runCli([...logFlag, '--json', 'append', '1000'])).stdout)[0]!;
    const expected = String(BigInt(first['value'] as string) + 1000n);
    await waitFor(
      () => jsonLines(stdout).some((line) => line['value'] === expected && line['nextOffset'] === appended['nextOffset']),
      { description: 'the state after the append', timeoutMs: 15_000 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 40_000);

  it('--stdin appends 10,000 values exactly once', async () => {
    const before = jsonLines((await runCli([...logFlag, '--json', 'info'])).stdout)[0]!['nextOffset'] as string;
    const values = Array.from({ length: 10_000 }, (_, index) => BigInt(index) * 1_000_000_007n - 3n);
    const run = await runCli([...logFlag, '--json', 'append', '--stdin'], `${values.join('\n')}\n`);
    expect(run.code).toBe(0);
    const report = jsonLines(run.stdout)[0]!;
    expect(report).toMatchObject({ events: 10_000, firstOffset: before, nextOffset: String(BigInt(before) + 10_000n) });
    const read = await runCli([...logFlag, '--json', 'read', '--from', before]);
    const got = jsonLines(read.stdout).map((line) => BigInt(line['value'] as string));
    expect(got).toHaveLength(10_000);
    expect(got.reduce((a, b) => a + b, 0n)).toBe(values.reduce((a, b) => a + b, 0n));
    expect(got).toEqual(values);
  }, 60_000);
});
