import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findFreePort,
  makeTempDir,
  makeTestCertificates,
  removeTempDir,
  spawnApp,
  waitFor,
  workspaceRoot,
  type SpawnedApp,
  type TestCertificates,
} from '@hello-es/test-support';
import { spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

const CLI = join(workspaceRoot, 'dist', 'apps', 'cli', 'main.js');

/** The variables the CLI reads, cleared so the developer's own settings cannot leak into a test. */
const NO_CLIENT_SETTINGS: Record<string, string> = {
  EVENTLOG_URL: '',
  EVENTLOG_TOKEN: '',
  EVENTLOG_TOKEN_FILE: '',
  EVENTLOG_TLS_CA_FILE: '',
  EVENTLOG_TLS_CLIENT_CERT_FILE: '',
  EVENTLOG_TLS_CLIENT_KEY_FILE: '',
};

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, with `input` on stdin. */
function runCli(args: readonly string[], input = '', env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: workspaceRoot, env: { ...process.env, ...NO_CLIENT_SETTINGS, ...env } });
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

const nextOffsetOf = async (address: string, env: Record<string, string> = {}, flags: string[] = []): Promise<bigint> =>
  BigInt(jsonLines((await runCli(['--log', address, ...flags, '--json', 'info'], '', env)).stdout)[0]!['nextOffset'] as string);

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

  it('documents the addresses, TLS and token flags in every command\'s --help', async () => {
    // One help configuration serves every command; three of them show it (each spawn is a Node start).
    const commands = ['append', 'state', 'bench'];
    const helps = await Promise.all(commands.map((command) => runCli([command, '--help'])));
    helps.forEach((help, index) => {
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: hello-es ${commands[index]}`);
      for (const flag of ['--log <host:port>', '--tls-ca <file>', '--tls-cert <file>', '--tls-key <file>', '--token-file <file>', '--json']) {
        expect(help.stdout).toContain(flag);
      }
    });
    expect(helps[commands.indexOf('bench')]!.stdout).toMatch(/It appends REAL events to the log that --log \/ EVENTLOG_URL names/);
  }, 60_000);

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
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+PEER\s+NEXT OFFSET\s+LAG\s+SINCE\s+GATEWAY$/);
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

  it('--stdin --in-flight 1 appends 10,000 values exactly once, in stdin\'s order', async () => {
    const before = jsonLines((await runCli([...logFlag, '--json', 'info'])).stdout)[0]!['nextOffset'] as string;
    const values = Array.from({ length: 10_000 }, (_, index) => BigInt(index) * 1_000_000_007n - 3n);
    const run = await runCli([...logFlag, '--json', 'append', '--stdin', '--in-flight', '1'], `${values.join('\n')}\n`);
    expect(run.code).toBe(0);
    const report = jsonLines(run.stdout)[0]!;
    expect(report).toMatchObject({ events: 10_000, firstOffset: before, nextOffset: String(BigInt(before) + 10_000n) });
    const read = await runCli([...logFlag, '--json', 'read', '--from', before]);
    const got = jsonLines(read.stdout).map((line) => BigInt(line['value'] as string));
    expect(got).toHaveLength(10_000);
    expect(got.reduce((a, b) => a + b, 0n)).toBe(values.reduce((a, b) => a + b, 0n));
    expect(got).toEqual(values);
  }, 60_000);

  /**
   * The streaming path with its default pipelining (8 batches in flight over
   * one AppendStream): every value lands exactly once, in stdin's order, at
   * dense offsets; the adder's sum proves it; a pipe gets no progress bar.
   */
  it('--stdin streams 100,000 piped values into exactly 100,000 dense events, in order, with the right sum', async () => {
    const before = await nextOffsetOf(log.address);
    const stateBefore = jsonLines((await runCli(['--adder', adder.address, '--json', 'state', 'adder', '--min-next-offset', String(before)])).stdout)[0]!;
    const values = Array.from({ length: 100_000 }, (_, index) => (BigInt(index) * 7_919n) % 1_000_003n - 500_000n + (index % 1000 === 0 ? 9_000_000_000_000_000_000n : 0n));
    const run = await runCli([...logFlag, 'append', '--stdin'], `${values.join('\n')}\n`);
    expect(run.code).toBe(0);
    // Exactly the summary line: no bar, no escape codes on a pipe.
    expect(run.stdout).toMatch(new RegExp(`^appended 100000 events, next offset ${before + 100_000n}, \\d+ events/s\\n$`));
    expect(await nextOffsetOf(log.address)).toBe(before + 100_000n);
    const sum = values.reduce((a, b) => a + b, 0n);
    const state = await runCli(['--adder', adder.address, '--json', 'state', 'adder', '--min-next-offset', String(before + 100_000n)]);
    expect(jsonLines(state.stdout)[0]).toMatchObject({ value: String(BigInt(stateBefore['value'] as string) + sum), nextOffset: String(before + 100_000n) });
    const read = jsonLines((await runCli([...logFlag, '--json', 'read', '--from', String(before)])).stdout);
    expect(read.map((line) => line['offset'])).toEqual(values.map((_, index) => String(before + BigInt(index))));
    expect(read.map((line) => BigInt(line['value'] as string))).toEqual(values);
  }, 60_000);

  it('--stdin exits 3 within the deadline when the log is down, appending nothing', async () => {
    const dead = `127.0.0.1:${await findFreePort()}`;
    const started = Date.now();
    const run = await runCli(['--log', dead, 'append', '--stdin'], '1\n2\n');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: cannot connect to ${dead.replace(/\./g, '\\.')}: .*nothing was appended`));
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  /** `script` (util-linux) gives the CLI a terminal as stdout, as a person at a shell has. */
  it('draws a progress bar on a terminal for --stdin and a long read, with every event still printed', async () => {
    const before = await nextOffsetOf(log.address);
    const input = join(dataDir, 'values.txt');
    writeFileSync(input, `${Array.from({ length: 12_000 }, (_, index) => String(index)).join('\n')}\n`);
    const onTerminal = (command: string): Promise<CliRun> => {
      const quoted = [process.execPath, CLI, ...logFlag].map((word) => `'${word}'`).join(' ');
      return new Promise((resolve, reject) => {
        const child = spawn('script', ['-qec', `${quoted} ${command}`, '/dev/null'], { cwd: workspaceRoot, env: { ...process.env, ...NO_CLIENT_SETTINGS } });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
        child.stdin.end();
      });
    };
    // The bar redraws from column 1 (ESC [1G): each redraw is a line of its own here.
    const plain = (text: string): string[] => text.replace(/\r|\x1b\[1G/g, '\n').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\n');
    const appended = await onTerminal(`append --stdin < '${input}'`);
    expect(appended.code).toBe(0);
    expect(appended.stdout).toMatch(/\x1b\[/);
    expect(plain(appended.stdout)).toContainEqual(expect.stringMatching(/^\d+ events \| \d+ events\/s/));
    expect(plain(appended.stdout)).toContainEqual(expect.stringMatching(`^appended 12000 events, next offset ${before + 12_000n}, `));
    const read = await onTerminal(`read --from ${before} --count 12000`);
    expect(read.code).toBe(0);
    const lines = plain(read.stdout);
    expect(lines).toContainEqual(expect.stringMatching(/ 100% \| 12000\/12000 events \| /));
    const offsets = new Set(lines.filter((line) => line.includes('\t')).map((line) => line.split('\t')[0]));
    expect(offsets.size).toBe(12_000);
    expect(offsets.has(String(before)) && offsets.has(String(before + 11_999n))).toBe(true);
  }, 60_000);

  it('--stdin stops at a bad line with exit 1 naming it, having appended exactly the lines before it', async () => {
    const before = await nextOffsetOf(log.address);
    const lines = [...Array.from({ length: 2_500 }, (_, index) => String(index)), '9223372036854775808', '7'];
    const run = await runCli([...logFlag, 'append', '--stdin'], `${lines.join('\n')}\n`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: stdin line 2501: 9223372036854775808 is outside the signed 64-bit range; 2500 events were appended (offsets ${before}..${before + 2_499n}), nothing from line 2501 on\n`,
    );
    expect(await nextOffsetOf(log.address)).toBe(before + 2_500n);
  });
});

/**
 * bench against its own log, adder and multiplier: a fresh multiplier keeps
 * its product small (the other suite's values would make it a huge number).
 */
describe('hello-es bench', () => {
  let dataDir: string;
  let log: SpawnedApp;
  let adder: SpawnedApp;
  let multiplier: SpawnedApp;
  let logFlag: string[];

  beforeAll(async () => {
    dataDir = await makeTempDir('cli-bench-');
    const port = await findFreePort();
    log = await spawnEventLog({ dataDir: join(dataDir, 'log'), port, seed: [2n, 3n] });
    [adder, multiplier] = await Promise.all([
      spawnReducer({ name: 'adder', eventLogPort: port, dataDir: join(dataDir, 'adder') }),
      spawnReducer({ name: 'multiplier', eventLogPort: port, dataDir: join(dataDir, 'multiplier') }),
    ]);
    logFlag = ['--log', log.address];
  }, 60_000);
  afterAll(async () => {
    await Promise.all([adder?.kill(), multiplier?.kill(), log?.kill()]);
    await removeTempDir(dataDir);
  });

  it('bench refuses without --yes when stdin is not a terminal, appending nothing', async () => {
    const before = await nextOffsetOf(log.address);
    const run = await runCli([...logFlag, 'bench', '--n', '8']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`to the event log at ${log.address}`);
    expect(run.stderr).toMatch(/error: bench appends real events: pass --yes/);
    expect(await nextOffsetOf(log.address)).toBe(before);
  });

  /**
   * bench writes only to the log it is pointed at (--log wins over an
   * EVENTLOG_URL naming another log), measures both reducers, and leaves
   * their states where they were (values ±1 in fours).
   */
  it('bench prints events/s and latency percentiles and touches no other server', async () => {
    const other = await spawnEventLog({ dataDir: join(dataDir, 'other'), port: await findFreePort() });
    try {
      const before = await nextOffsetOf(log.address);
      const reducers = ['--adder', adder.address, '--multiplier', multiplier.address];
      const stateOf = async (name: string, min: bigint): Promise<string> =>
        jsonLines((await runCli([...reducers, '--json', 'state', name, '--min-next-offset', String(min)])).stdout)[0]!['value'] as string;
      const [adderBefore, multiplierBefore] = [await stateOf('adder', before), await stateOf('multiplier', before)];
      const env = { EVENTLOG_URL: other.address };
      const json = await runCli([...logFlag, ...reducers, '--json', 'bench', '--yes', '--n', '398', '--in-flight', '4', '--values-per-append', '5'], '', env);
      expect(json.code).toBe(0);
      const report = jsonLines(json.stdout)[0]!;
      // 398 is rounded up to 400 (a multiple of 4): 80 appends of 5.
      expect(report).toMatchObject({ logAddress: log.address, n: 400, appends: 80, valuesPerAppend: 5, inFlight: 4, transport: 'Append' });
      expect(report['eventsPerSecond']).toBeGreaterThan(0);
      expect(report['durableMs']).toMatchObject({ count: 80 });
      const applied = report['appliedMs'] as Record<string, { summary: { count: number; p50: number; p99: number } }>;
      for (const name of ['adder', 'multiplier']) {
        expect(applied[name]!.summary.count).toBe(80);
        expect(applied[name]!.summary.p99).toBeGreaterThanOrEqual(applied[name]!.summary.p50);
      }
      // The text report, over one AppendStream this time.
      const text = await runCli([...logFlag, ...reducers, 'bench', '--yes', '--n', '40', '--stream'], '', env);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^40 events in 4 AppendStream appends to .* in [\d.]+ s\n[\d,]+ events\/s, [\d,]+ appends\/s\n/);
      expect(text.stdout).toMatch(/^latency\s+p50\s+p90\s+p99\s+p99\.9\s+max$/m);
      expect(text.stdout).toMatch(/^append → durable(\s+[\d.]+ ms){5}$/m);
      expect(text.stdout).toMatch(/^append → applied adder(\s+[\d.]+ ms){5}$/m);
      expect(text.stdout).toMatch(/^append → applied multiplier(\s+[\d.]+ ms){5}$/m);

      expect(await nextOffsetOf(log.address)).toBe(before + 440n);
      expect(await nextOffsetOf(other.address)).toBe(0n);
      expect([adderBefore, multiplierBefore]).toEqual(['5', '6']);
      expect([await stateOf('adder', before + 440n), await stateOf('multiplier', before + 440n)]).toEqual(['5', '6']);
    } finally {
      await other.kill();
    }
  }, 60_000);
});

/**
 * The CLI against a log on mutual TLS with tokens and an adder on TLS with
 * tokens (as docs/security.md sets them up): flags and the reducers'
 * variables both work, a wrong token is exit 2 UNAUTHENTICATED, and no
 * token ever appears in the output.
 */
describe('hello-es CLI with TLS and tokens', () => {
  const GOOD = 'ops-token-7f3c9a';
  const WRONG = 'wrong-token-51b2e8';
  let dir: string;
  let certs: TestCertificates;
  let log: SpawnedApp;
  let adder: SpawnedApp;
  let mtls: string[];
  const outputs: string[] = [];
  const run = async (args: string[], input = '', env: Record<string, string> = {}): Promise<CliRun> => {
    const result = await runCli(args, input, env);
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const tokenLine = (name: string, roles: string[], token: string): string =>
    JSON.stringify({ name, roles, sha256: createHash('sha256').update(token).digest('hex') });

  beforeAll(async () => {
    dir = await makeTempDir('cli-tls-');
    certs = makeTestCertificates(dir);
    writeFileSync(join(dir, 'tokens.jsonl'), [tokenLine('adder', ['read'], 'adder-token'), tokenLine('ops', ['admin'], GOOD)].join('\n'));
    writeFileSync(join(dir, 'adder.token'), 'adder-token\n');
    writeFileSync(join(dir, 'ops.token'), `${GOOD}\n`);
    const logPort = await findFreePort();
    const serverTls = { TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey, AUTH_TOKENS_FILE: join(dir, 'tokens.jsonl') };
    log = await spawnApp('eventlog', { env: { ...serverTls, TLS_CLIENT_CA_FILE: certs.caCert, EVENTLOG_LISTEN: `127.0.0.1:${logPort}`, DATA_DIR: join(dir, 'log') } });
    adder = await spawnApp('adder', {
      env: {
        ...serverTls,
        ADDER_LISTEN: '127.0.0.1:0',
        EVENTLOG_URL: `127.0.0.1:${logPort}`,
        EVENTLOG_TLS_CA_FILE: certs.caCert,
        EVENTLOG_TLS_CLIENT_CERT_FILE: certs.clientCert,
        EVENTLOG_TLS_CLIENT_KEY_FILE: certs.clientKey,
        EVENTLOG_TOKEN_FILE: join(dir, 'adder.token'),
        DATA_DIR: join(dir, 'adder'),
      },
    });
    mtls = ['--log', log.address, '--adder', adder.address, '--tls-ca', certs.caCert, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey];
  }, 60_000);
  afterAll(async () => {
    await Promise.all([adder?.kill(), log?.kill()]);
    await removeTempDir(dir);
  });

  it('appends, streams --stdin, reads state and checks health with --tls-* and --token-file', async () => {
    const appended = await run([...mtls, '--token-file', join(dir, 'ops.token'), '--json', 'append', '5', '-2']);
    expect(appended.code).toBe(0);
    expect(jsonLines(appended.stdout)[0]).toMatchObject({ firstOffset: '0', nextOffset: '2' });
    const streamed = await run([...mtls, '--token', GOOD, 'append', '--stdin'], '1\n2\n3\n');
    expect(streamed.stdout).toMatch(/^appended 3 events, next offset 5, /);
    const state = await run([...mtls, '--token', GOOD, 'state', 'adder', '--min-next-offset', '5']);
    expect(state).toMatchObject({ code: 0, stdout: 'adder = 9 (next offset 5)\n' });
    const health = await run([...mtls, 'health'], '', { MULTIPLIER_URL: `127.0.0.1:${await findFreePort()}` });
    expect(health.stdout).toMatch(/^eventlog\s+\S+\s+SERVING$/m);
    expect(health.stdout).toMatch(/^adder\s+\S+\s+SERVING$/m);
  }, 40_000);

  it('takes the same variables as the reducers (EVENTLOG_TLS_*, EVENTLOG_TOKEN_FILE)', async () => {
    const env = {
      EVENTLOG_TLS_CA_FILE: certs.caCert,
      EVENTLOG_TLS_CLIENT_CERT_FILE: certs.clientCert,
      EVENTLOG_TLS_CLIENT_KEY_FILE: certs.clientKey,
      EVENTLOG_TOKEN_FILE: join(dir, 'ops.token'),
    };
    const info = await run(['--log', log.address, '--json', 'info'], '', env);
    expect(info.code).toBe(0);
    expect(jsonLines(info.stdout)[0]).toMatchObject({ nextOffset: '5' });
  });

  it('answers a wrong token with exit 2 UNAUTHENTICATED, and plaintext against TLS with exit 3', async () => {
    const wrong = await run([...mtls, '--token', WRONG, 'append', '1']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error: UNAUTHENTICATED: \S.*\n$/);
    const none = await run([...mtls, 'info']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: UNAUTHENTICATED: /);
    const plaintext = await run(['--log', log.address, '--token', GOOD, 'info']);
    expect(plaintext.code).toBe(3);
    expect(plaintext.stderr).toMatch(/^error: cannot connect to /);
    expect(await nextOffsetOf(log.address, {}, [...mtls.slice(2), '--token', GOOD])).toBe(5n);
  });

  afterAll(() => {
    // Every output of this suite, good and bad runs alike.
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(output).not.toContain(GOOD);
      expect(output).not.toContain(WRONG);
      expect(output).not.toContain('adder-token');
    }
  });
});
