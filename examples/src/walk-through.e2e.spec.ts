/**
 * The README's walk-through, end to end on the built apps: check both
 * states, append, see both states change; then restart each of the three
 * services and see the state survive.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { callUnary, createReducerClient, type ReducerServiceClient, type State } from '@hello-es/contracts';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, waitFor, workspaceRoot, type SpawnedApp } from '@hello-es/test-support';

const run = promisify(execFile);

describe('the README walk-through', () => {
  let dataDir: string;
  const ports: Record<'eventlog' | 'adder' | 'multiplier', number> = { eventlog: 0, adder: 0, multiplier: 0 };
  const apps = new Map<string, SpawnedApp>();
  const clients: ReducerServiceClient[] = [];

  function envFor(): Record<string, string> {
    return {
      DATA_DIR: dataDir,
      EVENTLOG_SEED: '1,1,1,1,2',
      EVENTLOG_LISTEN: `127.0.0.1:${ports.eventlog}`,
      EVENTLOG_URL: `127.0.0.1:${ports.eventlog}`,
      ADDER_LISTEN: `127.0.0.1:${ports.adder}`,
      MULTIPLIER_LISTEN: `127.0.0.1:${ports.multiplier}`,
    };
  }

  async function start(name: 'eventlog' | 'adder' | 'multiplier'): Promise<void> {
    apps.set(name, await spawnApp(name, { env: envFor() }));
  }

  async function stateOf(client: ReducerServiceClient, minNextOffset: bigint): Promise<State | undefined> {
    const reply = await callUnary(client.getState.bind(client), { minNextOffset }, { timeoutMs: 20_000 });
    return reply.state;
  }

  beforeAll(async () => {
    dataDir = await makeTempDir('walk-through-');
    ports.eventlog = await findFreePort();
    ports.adder = await findFreePort();
    ports.multiplier = await findFreePort();
    await Promise.all([start('eventlog'), start('adder'), start('multiplier')]);
    clients.push(createReducerClient(`127.0.0.1:${ports.adder}`), createReducerClient(`127.0.0.1:${ports.multiplier}`));
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await removeTempDir(dataDir);
  });

  it('shows the seeded states, then both change after the example appends', async () => {
    const [adder, multiplier] = clients as [ReducerServiceClient, ReducerServiceClient];
    expect((await stateOf(adder, 5n))?.value).toBe('6');
    expect((await stateOf(multiplier, 5n))?.value).toBe('2');

    const { stdout } = await run(
      process.execPath,
      [join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(workspaceRoot, 'examples', 'src', 'append-and-read-state.ts'), '3'],
      {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          EVENTLOG_URL: `127.0.0.1:${ports.eventlog}`,
          ADDER_URL: `127.0.0.1:${ports.adder}`,
          MULTIPLIER_URL: `127.0.0.1:${ports.multiplier}`,
        },
        timeout: 30_000,
      },
    );
    expect(stdout).toContain('appended 3 at offset 5');
    expect(stdout).toContain('adder = 9 after 6 events');
    expect(stdout).toContain('multiplier = 6 after 6 events');
  }, 60_000);

  it.each(['eventlog', 'adder', 'multiplier'] as const)('keeps both states when %s restarts', async (name) => {
    await apps.get(name)?.stop();
    await start(name);
    const [adder, multiplier] = clients as [ReducerServiceClient, ReducerServiceClient];
    const adderState = await waitFor(() => stateOf(adder, 6n), { description: 'the adder state', timeoutMs: 30_000 });
    const multiplierState = await waitFor(() => stateOf(multiplier, 6n), { description: 'the multiplier state', timeoutMs: 30_000 });
    expect([adderState.value, adderState.nextOffset]).toEqual(['9', 6n]);
    expect([multiplierState.value, multiplierState.nextOffset]).toEqual(['6', 6n]);
  }, 60_000);
});
