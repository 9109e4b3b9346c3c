import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startNatsCluster, type NatsFixture, type NatsServerProcess } from '@hello-es/eventlog/testing';
import { makeTempDir, removeTempDir, type Random } from '@hello-es/test-support';
import type { CrashSystem, Victim } from '../crash-loop/crash-system';
import { startManagedProcess, type ManagedProcess } from '../system/managed-process';
import { openStreamWatch, type StreamWatch } from './stream-watch';

export const RELIABILITY_STREAM = 'RELIABILITY';

/** The JetStream system with its parts by role, for tests that kill them one by one. */
export interface JetStreamCrashSystem extends CrashSystem {
  readonly nats: NatsFixture;
  readonly watch: StreamWatch;
  /** gateway-a (the adder subscribes through it) and gateway-b (the multiplier). */
  readonly gatewayProcesses: readonly [ManagedProcess, ManagedProcess];
  /** The NATS node by server name ("n1", …). */
  node(name: string): NatsServerProcess;
}

/**
 * A 3-node NATS cluster on loopback, an R3 stream, two gateways (apps/eventlog
 * with EVENTLOG_STORAGE=jetstream, each on its own port), the adder
 * subscribed through gateway A and the multiplier through gateway B.
 * Victims: both gateways, both reducers, the stream leader's node and a
 * follower's node (resolved at kill time, the follower picked by `random`); a NATS node's restart waits until
 * every replica is current again, so no kill ever costs the quorum.
 */
export async function startJetStreamCrashSystem(random: Random): Promise<JetStreamCrashSystem> {
  const dataDir = await makeTempDir('reliability-jetstream-');
  const nats = await startNatsCluster(3);
  const started: ManagedProcess[] = [];
  let watch: StreamWatch | undefined;
  try {
    const gatewayEnv = {
      EVENTLOG_STORAGE: 'jetstream',
      NATS_URL: nats.url,
      NATS_STREAM: RELIABILITY_STREAM,
      NATS_REPLICAS: '3',
      NATS_CONNECT_TIMEOUT_SECONDS: '60',
    };
    // One after the other: the first creates the stream, the second finds it.
    const gatewayA = await startManagedProcess('eventlog', { dataDir, env: gatewayEnv });
    started.push(gatewayA);
    const gatewayB = await startManagedProcess('eventlog', { dataDir, env: gatewayEnv });
    started.push(gatewayB);
    const adder = await startManagedProcess('adder', { dataDir, env: { EVENTLOG_URL: gatewayA.address } });
    started.push(adder);
    const multiplier = await startManagedProcess('multiplier', { dataDir, env: { EVENTLOG_URL: gatewayB.address } });
    started.push(multiplier);
    const openedWatch = await openStreamWatch(nats.servers.map((server) => server.url), RELIABILITY_STREAM);
    watch = openedWatch;
    await openedWatch.whole(nats.servers.map((server) => server.name));
    const node = (name: string): NatsServerProcess => {
      const found = nats.servers.find((server) => server.name === name);
      if (!found) throw new Error(`no NATS node named ${name}`);
      return found;
    };
    const natsVictim = (name: string, pickNode: () => Promise<NatsServerProcess>): Victim => {
      let killed: NatsServerProcess | undefined;
      return {
        name,
        pid: () => -1,
        kill: async () => {
          killed = await pickNode();
          await killed.kill('SIGKILL');
        },
        restart: async () => {
          if (!killed) throw new Error(`${name} was not killed`);
          await killed.start();
          killed = undefined;
          await openedWatch.whole(nats.servers.map((server) => server.name));
        },
      };
    };
    const rename = (process: ManagedProcess, name: string): Victim => ({
      name,
      pid: () => process.pid(),
      kill: () => process.kill(),
      restart: () => process.restart(),
    });
    const leaderNode = async (): Promise<NatsServerProcess> => node(await openedWatch.leader());
    const followerNode = async (): Promise<NatsServerProcess> => {
      const leader = await openedWatch.leader();
      const followers = nats.servers.filter((server) => server.name !== leader);
      return followers.length > 0 ? random.pick(followers) : node(leader);
    };
    const processes = [gatewayA, gatewayB, adder, multiplier];
    const processNames = ['gateway-a', 'gateway-b', 'adder', 'multiplier'];
    return {
      storage: 'jetstream',
      victims: [
        rename(gatewayA, 'gateway-a'),
        rename(gatewayB, 'gateway-b'),
        adder,
        multiplier,
        natsVictim('nats-leader', leaderNode),
        natsVictim('nats-follower', followerNode),
      ],
      gateways: [gatewayA.address, gatewayB.address],
      reducers: { adder: adder.address, multiplier: multiplier.address },
      dataDir,
      nats,
      watch: openedWatch,
      gatewayProcesses: [gatewayA, gatewayB],
      node,
      stop: async (keepData) => {
        await Promise.all(processes.map((process) => process.kill()));
        // What the gateways and reducers said goes with the kept data: the cause of an UNAVAILABLE is only there.
        if (keepData) await Promise.all(processes.map((process, index) => writeFile(join(dataDir, `${processNames[index] ?? 'process'}.log`), `${process.output().join('\n')}\n`)));
        await openedWatch.close().catch(() => undefined);
        // The cluster's store dirs go with it (NatsFixture has no keep option); the gateways' output stays in the report.
        await nats.stop();
        if (!keepData) await removeTempDir(dataDir);
      },
    };
  } catch (error: unknown) {
    await Promise.all(started.map((process) => process.kill()));
    await watch?.close().catch(() => undefined);
    await nats.stop();
    await removeTempDir(dataDir);
    throw error;
  }
}
