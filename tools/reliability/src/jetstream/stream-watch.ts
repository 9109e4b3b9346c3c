import { jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { waitFor } from '@hello-es/test-support';

/** Asks the cluster about the stream behind the gateways (leader, replicas), from the test's own NATS connection. */
export interface StreamWatch {
  /** The server name of the stream's current Raft leader; waits for one to be elected. */
  leader(timeoutMs?: number): Promise<string>;
  /**
   * Waits until the stream has a leader among `running` and every other
   * running node is a current, online replica: the state in which losing any
   * one node loses no quorum.
   */
  whole(running: readonly string[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openStreamWatch(servers: readonly string[], stream: string): Promise<StreamWatch> {
  // maxReconnectAttempts -1: the node this connection is on may be the one killed.
  const nc: NatsConnection = await connect({ servers: [...servers], maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm: JetStreamManager = await jetstreamManager(nc, { timeout: 2_000 });
  const info = (): Promise<StreamInfo> => jsm.streams.info(stream);
  return {
    leader: (timeoutMs = 30_000) =>
      waitFor(async () => (await info()).cluster?.leader, { description: `a leader for stream ${stream}`, timeoutMs, intervalMs: 100 }),
    whole: async (running, timeoutMs = 60_000) => {
      await waitFor(
        async () => {
          const cluster = (await info()).cluster;
          if (!cluster?.leader || !running.includes(cluster.leader)) return false;
          const followers = running.filter((name) => name !== cluster.leader);
          return followers.every((name) => cluster.replicas?.some((peer) => peer.name === name && peer.current && !peer.offline));
        },
        { description: `stream ${stream} led by one of ${running.join(', ')} with every other one current`, timeoutMs, intervalMs: 100 },
      );
    },
    close: () => nc.close(),
  };
}
