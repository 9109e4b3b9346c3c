import { callUnary, type EventLogServiceClient } from '@hello-es/contracts';
import { pause } from '../crash-loop/append-with-retry';

/** Appends `batch` values every `everyMs` until stopped (then closes `client`); counts successes and failures. */
export function startSteadyWriter(client: EventLogServiceClient, batch: number, everyMs: number) {
  const counts = { acked: 0, failed: 0, lastError: '' };
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      try {
        await callUnary(client.append.bind(client), { values: Array<bigint>(batch).fill(1n), idempotencyKey: '' }, { timeoutMs: 10_000 });
        counts.acked += 1;
      } catch (error: unknown) {
        counts.failed += 1;
        counts.lastError = error instanceof Error ? error.message : String(error);
      }
      await pause(everyMs);
    }
    client.close();
  })();
  return {
    counts,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** Stores `events` values (-1s) in appends of 10,000, before the peers connect. */
export async function preload(client: EventLogServiceClient, events: number): Promise<void> {
  for (let stored = 0; stored < events; stored += 10_000) {
    const values = Array<bigint>(Math.min(10_000, events - stored)).fill(-1n);
    await callUnary(client.append.bind(client), { values, idempotencyKey: '' }, { timeoutMs: 30_000 });
  }
}
