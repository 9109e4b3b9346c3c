import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { makeTempDir, removeTempDir, workspaceRoot } from '@hello-es/test-support';
import { requireNatsServer } from '../../testing/nats-server';

// tools/scripts/nats-cluster.mjs, the README's way to try a cluster: start on
// free ports, a formed cluster that takes an R3 stream, stop leaves no process.
const run = promisify(execFile);
const script = join(workspaceRoot, 'tools', 'scripts', 'nats-cluster.mjs');
let dir: string;
let started = false;

function cluster(...args: string[]): Promise<{ stdout: string }> {
  return run(process.execPath, [script, ...args, '--dir', dir], { timeout: 60_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  requireNatsServer();
  dir = await makeTempDir('nats-cluster-script-');
});
afterAll(async () => {
  if (started) await cluster('stop').catch(() => undefined);
  await removeTempDir(dir);
});

it('starts three nodes that form a cluster taking an R3 stream, and stop ends every one of them', async () => {
  const { stdout } = await cluster('start', '--base-port', '0');
  started = true;
  const state = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as { url: string; nodes: { pid: number }[] };
  const pids = state.nodes.map((node) => node.pid);
  expect(pids).toHaveLength(3);
  expect(pids.every(alive)).toBe(true);
  expect(stdout).toContain(`export NATS_URL=${state.url}`);

  const connection = await connect({ servers: state.url.split(','), timeout: 5_000 });
  try {
    const manager = await jetstreamManager(connection);
    const info = await manager.streams.add({ name: 'SCRIPT_R3', subjects: ['script.r3'], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas).toHaveLength(2);
  } finally {
    await connection.close();
  }
  expect((await cluster('status')).stdout).toMatch(/meta leader: n[123]/);

  await cluster('stop');
  started = false;
  expect(pids.filter(alive)).toEqual([]);
}, 30_000);
