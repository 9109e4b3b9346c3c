import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { findFreePort, makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';

const BINARY = process.env['NATS_SERVER_BIN'] ?? 'nats-server';

/** Fails with the package to install when nats-server is missing (tests must not skip silently). */
export function requireNatsServer(): void {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `nats-server not found (${BINARY}): the jetstream tests need it; install the Debian package: sudo apt-get install -y nats-server`,
    );
  }
}

/** One nats-server process, in its own process group (killed by group, so nothing outlives the test). */
export class NatsServerProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly monitorPort: number,
    private readonly args: readonly string[],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    // detached: a new process group (setsid), so a test runner killing its own group does not race us.
    const child = spawn(BINARY, [...this.args], { detached: true, stdio: 'ignore' });
    this.child = child;
    await waitFor(async () => this.healthy(), { description: `${this.name} /healthz`, timeoutMs: 20_000, intervalMs: 50 });
  }

  /** SIGKILL to the whole process group: the "node lost" of the tests. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    await exited;
  }

  private healthy(): Promise<boolean> {
    return new Promise((resolve) => {
      const call = request({ host: '127.0.0.1', port: this.monitorPort, path: '/healthz', timeout: 1_000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      call.on('error', () => resolve(false));
      call.on('timeout', () => call.destroy());
      call.end();
    });
  }
}

export interface NatsFixture {
  readonly servers: readonly NatsServerProcess[];
  /** Comma-separated URLs of every server (NATS_URL). */
  readonly url: string;
  /** Kills every server and removes the store dirs. */
  stop(): Promise<void>;
}

/** A single JetStream server on a free loopback port with a temp store dir. */
export async function startNatsServer(): Promise<NatsFixture> {
  requireNatsServer();
  const dir = await makeTempDir('nats-js-');
  const [port, monitorPort] = [await findFreePort(), await findFreePort()];
  const server = new NatsServerProcess('nats', port, monitorPort, [
    '-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort),
  ]);
  const started = fixture([server], dir);
  await startAll(started);
  return started;
}

/**
 * A 3-node JetStream cluster on loopback (the config that formed in
 * docs/jetstream.md's research), free ports, temp store dirs.
 */
export async function startNatsCluster(size = 3): Promise<NatsFixture> {
  requireNatsServer();
  const dir = await makeTempDir('nats-cluster-');
  const ports = await Promise.all(Array.from({ length: size * 3 }, () => findFreePort()));
  const routes = Array.from({ length: size }, (_, index) => `nats-route://127.0.0.1:${ports[size * 2 + index]}`);
  const servers: NatsServerProcess[] = [];
  for (let index = 0; index < size; index += 1) {
    const name = `n${index + 1}`;
    const [port, monitor, route] = [ports[index] ?? 0, ports[size + index] ?? 0, ports[size * 2 + index] ?? 0];
    await mkdir(join(dir, name), { recursive: true });
    const file = join(dir, `${name}.conf`);
    await writeFile(
      file,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${port}`,
        `http: 127.0.0.1:${monitor}`,
        `jetstream { store_dir: "${join(dir, name)}", max_memory_store: 64MB, max_file_store: 1GB }`,
        `cluster { name: evl, listen: 127.0.0.1:${route}, routes: [ ${routes.join(', ')} ] }`,
      ].join('\n'),
    );
    servers.push(new NatsServerProcess(name, port, monitor, ['-c', file]));
  }
  const started = fixture(servers, dir);
  await startAll(started);
  return started;
}

function fixture(servers: NatsServerProcess[], dir: string): NatsFixture {
  return {
    servers,
    url: servers.map((server) => server.url).join(','),
    async stop() {
      await Promise.all(servers.map((server) => server.kill()));
      await removeTempDir(dir);
    },
  };
}

/** Starts every server together (cluster nodes wait for each other's routes); stops them all if one fails. */
async function startAll(nats: NatsFixture): Promise<void> {
  try {
    await Promise.all(nats.servers.map((server) => server.start()));
  } catch (error: unknown) {
    await nats.stop();
    throw error;
  }
}
