import { dirname } from 'node:path';
import { startNatsCluster, startNatsServer, type NatsFixture } from '@hello-es/eventlog/testing';
import { findNatsServer, NATS_PACKAGE } from '../jetstream/nats-server';
import type { SpawnContext } from '../system/apps';
import { stopOnInterrupt } from '../system/interrupt';
import { startSystem, type Deployment, type System } from '../system/system';

export type Replicas = 1 | 3;

/** Why the JetStream columns are skipped, or undefined when nats-server is there (and on PATH from now on). */
export function natsServerMissing(): string | undefined {
  const binary = findNatsServer();
  if (!binary) return `nats-server not on PATH: sudo apt-get install -y ${NATS_PACKAGE}`;
  // Debian puts it in /usr/sbin, which a user's PATH may lack; the fixture spawns "nats-server".
  const dir = dirname(binary);
  const path = process.env['PATH'] ?? '';
  if (!path.split(':').includes(dir)) process.env['PATH'] = path === '' ? dir : `${path}:${dir}`;
  return undefined;
}

/** NATS for one deployment: one node (R1) or a 3-node loopback cluster (R3). */
export interface RunningNats {
  readonly replicas: Replicas;
  /** NATS_URL: every server, comma-separated. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts nats-server with the eventlog's test fixture: free loopback ports,
 * temp store dirs, each server in its own session (setsid) and killed by
 * process group; also on Ctrl-C.
 */
export async function startNats(replicas: Replicas): Promise<RunningNats> {
  const fixture: NatsFixture = replicas === 1 ? await startNatsServer() : await startNatsCluster(3);
  const unregister = stopOnInterrupt(() => fixture.stop());
  return {
    replicas,
    url: fixture.url,
    async stop() {
      unregister();
      await fixture.stop();
    },
  };
}

let streams = 0;

/**
 * A gateway deployment: every start spawns an eventlog with
 * EVENTLOG_STORAGE=jetstream on a stream of its own (so each workload starts
 * from an empty log, as on the file backend), which the gateway creates with
 * NATS_REPLICAS.
 */
export function gatewayDeployment(spawn: SpawnContext, nats: RunningNats, prefix: string): Deployment {
  return {
    prefix,
    async start(withReducers: boolean): Promise<System> {
      streams += 1;
      return startSystem(spawn, withReducers, {
        EVENTLOG_STORAGE: 'jetstream',
        NATS_URL: nats.url,
        NATS_STREAM: `BENCH_${process.pid}_${streams}`,
        NATS_REPLICAS: String(nats.replicas),
      });
    },
  };
}
