import { callUnary, type EventLogServiceClient, type Subscription } from '@hello-es/contracts';

export async function listSubscriptions(client: EventLogServiceClient): Promise<Subscription[]> {
  return (await callUnary(client.listSubscriptions.bind(client), {}, { timeoutMs: 10_000 })).subscriptions;
}

/** How many listed subscriptions have a name starting with `prefix`. */
export async function countListed(client: EventLogServiceClient, prefix: string): Promise<number> {
  return (await listSubscriptions(client)).filter((subscription) => subscription.subscriberName.startsWith(prefix)).length;
}
