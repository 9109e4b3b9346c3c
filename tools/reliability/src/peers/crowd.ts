import { createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { waitFor } from '@hello-es/test-support';
import { countListed } from './list-subscriptions';
import { subscribe, type OpenSubscription } from './subscribers';

export interface CrowdOutcome {
  readonly opened: number;
  readonly listed: number;
  readonly problems: readonly string[];
}

/**
 * Opens `size` live subscriptions at once (over 10 connections), waits until
 * ListSubscriptions shows them all and until every one has received the
 * events appended meanwhile (a writer keeps appending), then closes them all.
 */
export async function runCrowd(address: string, probe: EventLogServiceClient, size: number, head: () => Promise<bigint>): Promise<CrowdOutcome> {
  // Ten connections of their own: grpc-js would otherwise share one with the
  // writer, and cancelling 1,000 streams at once on one connection trips
  // nghttp2's rapid-reset guard, which closes it with INTERNAL_ERROR.
  const clients = Array.from({ length: 10 }, () => createEventLogClient(address, { channelOptions: { 'grpc.use_local_subchannel_pool': 1 } }));
  const crowd: OpenSubscription[] = [];
  const problems: string[] = [];
  let listed = 0;
  try {
    const from = await head();
    for (let index = 0; index < size; index += 1) crowd.push(subscribe(clients[index % clients.length] as EventLogServiceClient, `crowd-${index}`, from));
    listed = await waitFor(async () => {
      const count = await countListed(probe, 'crowd-');
      return count >= size ? count : undefined;
    }, { description: `${size} crowd subscriptions listed`, timeoutMs: 60_000, intervalMs: 250 });
    const target = await head();
    await waitFor(() => crowd.every((subscription) => subscription.nextOffset() >= target), {
      description: `every crowd subscriber to reach offset ${target}`,
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    problems.push(...crowd.map((subscription) => subscription.error()).filter((error): error is string => error !== undefined).slice(0, 5));
  } catch (error: unknown) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const subscription of crowd) subscription.cancel();
    for (const client of clients) client.close();
  }
  return { opened: crowd.length, listed, problems };
}
