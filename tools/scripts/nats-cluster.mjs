#!/usr/bin/env node
// A 3-node NATS JetStream cluster on loopback, for trying the jetstream
// backend (README "Gateways over NATS JetStream"). Plain Node, no deps.
//
//   node tools/scripts/nats-cluster.mjs start [--dir D] [--base-port P] [--nodes N]
//   node tools/scripts/nats-cluster.mjs status|stop [--dir D] [--clean]
//   node tools/scripts/nats-cluster.mjs kill <n>|restart <n> [--dir D]
//
// Each node runs in its own session and process group (setsid), so Ctrl-C in
// the terminal that started it, or in `nx serve`, leaves the cluster running;
// `stop` ends the groups whose pids `start` wrote to D/cluster.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BINARY = process.env.NATS_SERVER_BIN ?? 'nats-server';
const USAGE = `usage: nats-cluster <start|status|stop|kill <n>|restart <n>> [options]
  start       write the configs, start the nodes (setsid), wait for a meta leader,
              print NATS_URL and the pids
  status      each node: pid alive, /healthz, and the cluster's meta leader
  stop        end every node's process group (TERM, then KILL after 5 s);
              --clean also removes the directory with the stored data
  kill <n>    kill -9 node n (1-based): the "one node lost" demo
  restart <n> start node n again with its config (it catches up from the others)
options:
  --dir D        where configs, data, logs and cluster.json go (default: data/nats-cluster)
  --base-port P  client ports P.., route ports P+2000.., monitoring ports P+4000..
                 (default 14221; 0 picks free ports)
  --nodes N      number of nodes (default 3)`;

function fail(message) {
  process.stderr.write(`nats-cluster: ${message}\n`);
  process.exit(1);
}

function parse(argv) {
  const [command, ...rest] = argv;
  const options = { dir: join(workspaceRoot, 'data', 'nats-cluster'), basePort: 14221, nodes: 3, clean: false, node: undefined };
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index];
    const value = () => {
      const next = rest[index + 1];
      if (next === undefined) fail(`${arg} needs a value\n${USAGE}`);
      index += 1;
      return next;
    };
    if (arg === '--dir') options.dir = resolve(value());
    else if (arg === '--base-port') options.basePort = integer('--base-port', value(), 0, 60000);
    else if (arg === '--nodes') options.nodes = integer('--nodes', value(), 1, 9);
    else if (arg === '--clean') options.clean = true;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (/^\d+$/.test(arg) && options.node === undefined) options.node = Number(arg);
    else fail(`unknown argument ${arg}\n${USAGE}`);
  }
  return { command, options };
}

function integer(name, text, min, max) {
  const number = Number(text);
  if (!Number.isInteger(number) || number < min || number > max) fail(`${name} must be an integer from ${min} to ${max}, got ${text}`);
  return number;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** GET a monitoring endpoint; resolves { status, body } or undefined when nothing answers. */
function monitor(port, path) {
  return new Promise((resolveGet) => {
    const call = request({ host: '127.0.0.1', port, path, timeout: 1_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolveGet({ status: response.statusCode, body }));
    });
    call.on('error', () => resolveGet(undefined));
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

/** The meta leader's name as node `port` sees it (2.9's /jsz has meta_cluster.leader), or undefined. */
async function metaLeader(port) {
  const answer = await monitor(port, '/jsz');
  if (answer?.status !== 200) return undefined;
  try {
    return JSON.parse(answer.body).meta_cluster?.leader || undefined;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const stateFile = (dir) => join(dir, 'cluster.json');

function readState(dir) {
  if (!existsSync(stateFile(dir))) fail(`no cluster in ${dir} (run: nats-cluster start --dir ${dir})`);
  return JSON.parse(readFileSync(stateFile(dir), 'utf8'));
}

const writeState = (dir, state) => writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);

function startNode(dir, node) {
  const log = openSync(join(dir, `${node.name}.log`), 'a');
  // detached: setsid(), a new session and process group, so `stop`/`kill` can end the whole group.
  const child = spawn(BINARY, ['-c', join(dir, `${node.name}.conf`)], { detached: true, stdio: ['ignore', log, log] });
  child.once('error', (error) => fail(`cannot run ${BINARY} (${error.code}); install the Debian package: sudo apt-get install -y nats-server`));
  child.unref();
  node.pid = child.pid;
}

async function waitUntil(description, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) return undefined;
    await new Promise((next) => setTimeout(next, 100));
  }
}

async function start({ dir, basePort, nodes: size }) {
  if (existsSync(stateFile(dir))) {
    const running = readState(dir).nodes.filter((node) => node.pid && alive(node.pid));
    if (running.length > 0) fail(`a cluster is already running in ${dir} (pids ${running.map((node) => node.pid).join(', ')}); run: nats-cluster stop --dir ${dir}`);
  }
  mkdirSync(dir, { recursive: true });
  const ports = [];
  for (let index = 0; index < size * 3; index += 1) {
    const kind = Math.floor(index / size);
    ports.push(basePort === 0 ? await freePort() : basePort + kind * 2000 + (index % size));
  }
  const nodes = Array.from({ length: size }, (_, index) => ({
    name: `n${index + 1}`,
    port: ports[index],
    routePort: ports[size + index],
    monitorPort: ports[2 * size + index],
    pid: undefined,
  }));
  const routes = nodes.map((node) => `nats-route://127.0.0.1:${node.routePort}`).join(', ');
  for (const node of nodes) {
    const store = join(dir, node.name);
    mkdirSync(store, { recursive: true });
    writeFileSync(
      join(dir, `${node.name}.conf`),
      [
        `server_name: ${node.name}`,
        `listen: 127.0.0.1:${node.port}`,
        `http: 127.0.0.1:${node.monitorPort}`,
        `jetstream { store_dir: ${JSON.stringify(store)}, max_memory_store: 256MB, max_file_store: 8GB }`,
        `cluster { name: hello-es, listen: 127.0.0.1:${node.routePort}, routes: [ ${routes} ] }`,
        '',
      ].join('\n'),
    );
  }
  const url = nodes.map((node) => `nats://127.0.0.1:${node.port}`).join(',');
  const state = { url, nodes };
  for (const node of nodes) startNode(dir, node);
  writeState(dir, state);
  // Plain /healthz of every node first; a JetStream API call times out until a meta leader exists, so wait for one too.
  const healthy = await waitUntil('healthz', 30_000, async () => {
    const answers = await Promise.all(nodes.map((node) => monitor(node.monitorPort, '/healthz')));
    return answers.every((answer) => answer?.status === 200);
  });
  const leader = healthy && (await waitUntil('meta leader', 30_000, () => metaLeader(nodes[0].monitorPort)));
  if (!leader) {
    await stop({ dir, clean: false });
    fail(`the cluster did not form within 60 s; see ${join(dir, 'n*.log')}`);
  }
  process.stdout.write(
    [
      `NATS cluster of ${size} on 127.0.0.1, meta leader ${leader}, data in ${dir}`,
      ...nodes.map((node) => `  ${node.name}: pid ${node.pid}, client ${node.port}, monitoring http://127.0.0.1:${node.monitorPort}`),
      `export NATS_URL=${url}`,
      '',
    ].join('\n'),
  );
}

async function status({ dir }) {
  const state = readState(dir);
  let leader;
  for (const node of state.nodes) {
    const running = node.pid !== undefined && alive(node.pid);
    const health = running ? await monitor(node.monitorPort, '/healthz') : undefined;
    leader ??= running ? await metaLeader(node.monitorPort) : undefined;
    process.stdout.write(`${node.name}: ${running ? `running, pid ${node.pid}` : 'stopped'}, client ${node.port}, healthz ${health?.status ?? '-'}\n`);
  }
  process.stdout.write(`meta leader: ${leader ?? 'none'}\nNATS_URL=${state.url}\n`);
}

async function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function stop({ dir, clean }) {
  if (!existsSync(stateFile(dir))) {
    if (clean) rmSync(dir, { recursive: true, force: true });
    return;
  }
  const state = readState(dir);
  const { nodes } = state;
  const running = nodes.filter((node) => node.pid !== undefined && alive(node.pid));
  for (const node of running) await signalGroup(node.pid, 'SIGTERM');
  const gone = await waitUntil('exit', 5_000, () => running.every((node) => !alive(node.pid)));
  if (!gone) for (const node of running) await signalGroup(node.pid, 'SIGKILL');
  await waitUntil('exit', 5_000, () => running.every((node) => !alive(node.pid)));
  for (const node of nodes) node.pid = undefined;
  if (clean) rmSync(dir, { recursive: true, force: true });
  else writeState(dir, state);
  process.stdout.write(`stopped ${running.length} node(s)${clean ? `, removed ${dir}` : ''}\n`);
}

function pick(state, number) {
  const node = number === undefined ? undefined : state.nodes[number - 1];
  if (!node) fail(`name a node from 1 to ${state.nodes.length}`);
  return node;
}

async function killNode({ dir, node: number }) {
  const state = readState(dir);
  const node = pick(state, number);
  if (node.pid === undefined || !alive(node.pid)) fail(`${node.name} is not running`);
  await signalGroup(node.pid, 'SIGKILL');
  await waitUntil('exit', 5_000, () => !alive(node.pid));
  process.stdout.write(`killed ${node.name} (pid ${node.pid}) with SIGKILL\n`);
  node.pid = undefined;
  writeState(dir, state);
}

async function restartNode({ dir, node: number }) {
  const state = readState(dir);
  const node = pick(state, number);
  if (node.pid !== undefined && alive(node.pid)) fail(`${node.name} is running (pid ${node.pid})`);
  startNode(dir, node);
  writeState(dir, state);
  const healthy = await waitUntil('healthz', 30_000, async () => (await monitor(node.monitorPort, '/healthz'))?.status === 200);
  if (!healthy) fail(`${node.name} did not become healthy within 30 s; see ${join(dir, `${node.name}.log`)}`);
  process.stdout.write(`restarted ${node.name}: pid ${node.pid}\n`);
}

if (['-h', '--help', 'help'].includes(process.argv[2] ?? '')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { command, options } = parse(process.argv.slice(2));
const commands = { start, status, stop, kill: killNode, restart: restartNode };
const run = commands[command];
if (!run) fail(command === undefined ? USAGE : `unknown command ${command}\n${USAGE}`);
await run(options);
