import { waitFor } from '@hello-es/test-support';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { startNatsServer, type NatsFixture } from '../../testing/nats-server';
import type { LocalSubscriptions } from '../subscription-directory';
import { SUBSCRIPTION_TTL_MS, SubscriptionBucket } from './subscription-bucket';

const logger = pino({ level: 'silent' });
let nats: NatsFixture;

beforeAll(async () => {
  nats = await startNatsServer();
}, 30_000);
afterAll(() => nats?.stop());

/** A gateway's sharing on a connection of its own, with one open subscription named after it. */
async function gateway(name: string): Promise<{ nc: NatsConnection; bucket: SubscriptionBucket }> {
  const nc = await connect({ servers: nats.url });
  const local: LocalSubscriptions = {
    gateway: `${name}:50051`,
    list: () => [{ subscriberName: name, peer: 'ipv4:127.0.0.1:1', nextOffset: 0n, since: new Date(0) }],
  };
  const bucket = new SubscriptionBucket({ js: jetstream(nc), jsm: await jetstreamManager(nc), stream: 'EXPIRY', replicas: 1, local, logger });
  bucket.start();
  return { nc, bucket };
}

/**
 * A gateway that dies without cleaning up (its NATS connection closed, its
 * entry not emptied) stops refreshing: the others stop listing its
 * subscriptions within the documented 5 s (the bucket's max_age, and the
 * age filter on read), while a live gateway's stay listed throughout.
 */
it("drops a dead gateway's subscriptions from the others' lists within 5 s, and keeps a live one's", async () => {
  const [asking, live, dying] = [await gateway('asking'), await gateway('live'), await gateway('dying')];
  const names = async () => (await asking.bucket.list()).map((s) => s.subscriberName).sort();
  try {
    await waitFor(async () => (await names()).join() === 'asking,dying,live', { description: 'all three listed', timeoutMs: 5_000 });
    // Dies: no stop() (which would write an empty list first), just the connection gone.
    await dying.nc.close();
    const died = Date.now();
    const seen: string[][] = [];
    await waitFor(
      async () => {
        const listed = await names();
        seen.push(listed);
        return !listed.includes('dying');
      },
      { description: "the dead gateway's subscription gone", timeoutMs: SUBSCRIPTION_TTL_MS + 3_000, intervalMs: 200 },
    );
    const goneAfterMs = Date.now() - died;
    // Its last refresh was up to 1 s before it died, so the entry ages out by 5 s after that at the latest.
    expect(goneAfterMs).toBeLessThanOrEqual(SUBSCRIPTION_TTL_MS + 500);
    // Not dropped at once by mistake: it was still listed for a while after its last refresh.
    expect(goneAfterMs).toBeGreaterThan(SUBSCRIPTION_TTL_MS - 1_500);
    expect(seen.every((listed) => listed.includes('live') && listed.includes('asking'))).toBe(true);
    expect(await names()).toEqual(['asking', 'live']);
  } finally {
    await dying.bucket.stop();
    for (const { nc, bucket } of [asking, live]) {
      await bucket.stop();
      await nc.close();
    }
  }
}, 30_000);
