import { makeGenericClientConstructor, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export const PROBE_INTERVAL_MS = 2_000;
export const PROBE_TIMEOUT_MS = 1_500;

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

/** One health check: resolves when the server answered (any status), rejects when it did not in time. */
export type Probe = () => Promise<void>;

/** A probe over grpc.health.v1 Check (needs no token; answers in microseconds). */
export function healthProbe(address: string, credentials: ChannelCredentials): { probe: Probe; close(): void } {
  const client = new HealthClient(address, credentials);
  const check = client['check'] as (
    request: { service: string },
    metadata: Metadata,
    options: { deadline: number },
    callback: (error: ServiceError | null) => void,
  ) => void;
  return {
    probe: () =>
      new Promise<void>((resolve, reject) =>
        check.call(client, { service: '' }, new Metadata(), { deadline: Date.now() + PROBE_TIMEOUT_MS }, (error) => (error ? reject(error) : resolve())),
      ),
    close: () => client.close(),
  };
}

/**
 * Calls `probe` every `intervalMs` while `isConnected()` (one at a time) and
 * calls `onSilent` when it fails: a server that is stopped (SIGSTOP, a hung
 * event loop) keeps its TCP connection, so its stream would look open until
 * the keepalive gives up after 40 s; the probe says "down" within seconds.
 * Returns a stop function.
 */
export function startLivenessProbe(probe: Probe, isConnected: () => boolean, onSilent: () => void, intervalMs = PROBE_INTERVAL_MS): () => void {
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight || !isConnected()) return;
    inFlight = true;
    probe()
      .catch(() => {
        if (isConnected()) onSilent();
      })
      .finally(() => {
        inFlight = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
