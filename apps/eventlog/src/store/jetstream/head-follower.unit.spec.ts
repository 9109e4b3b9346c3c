import type { NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { HeadFollower } from './head-follower';
import { MessageCache } from './message-cache';

/** A STREAM.MSG.GET read the test answers or fails when it chooses. */
interface PendingRead {
  answer(): void;
  fail(): void;
}

/** The part of a NATS connection the head follower uses: requests are held until the test settles them. */
function fakeConnection(): { nc: NatsConnection; reads: PendingRead[] } {
  const reads: PendingRead[] = [];
  const nc = {
    request: () =>
      new Promise((resolve, reject) => {
        reads.push({
          // An empty stream: "no message found".
          answer: () => resolve({ json: () => ({ error: { code: 404, err_code: 10_037, description: 'no message found' } }) }),
          fail: () => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
        });
      }),
    subscribe: () => ({ unsubscribe: () => undefined }),
  } as unknown as NatsConnection;
  return { nc, reads };
}

describe('the head follower as health probe', () => {
  let follower: HeadFollower;
  let reads: PendingRead[];
  const changes: boolean[] = [];

  beforeEach(async () => {
    changes.length = 0;
    const connection = fakeConnection();
    reads = connection.reads;
    // The watchdog poll is left to the test: one read at a time, started by refresh().
    follower = new HeadFollower({ nc: connection.nc, stream: 'S', subject: 'S.events', cache: new MessageCache(), logger: pino({ level: 'silent' }), pollMs: 3_600_000 });
    const started = follower.start();
    reads.shift()?.answer();
    await started;
    follower.onHealth((serving) => changes.push(serving));
  });
  afterEach(() => follower.stop());

  it('goes NOT_SERVING when a read of the head fails, and SERVING at once when the leader acknowledges a publish', async () => {
    const failing = follower.refresh();
    reads.shift()?.fail();
    await expect(failing).rejects.toThrow('timeout');
    expect(follower.serving).toBe(false);
    follower.leaderAnswered();
    expect(follower.serving).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it('stays SERVING when a read lost with the old node fails after the new leader acknowledged', async () => {
    const lost = follower.refresh();
    follower.leaderAnswered();
    reads.shift()?.fail();
    await expect(lost).rejects.toThrow('timeout');
    expect(follower.serving).toBe(true);
    // A read started after that answer still counts.
    const next = follower.refresh();
    reads.shift()?.fail();
    await expect(next).rejects.toThrow('timeout');
    expect(follower.serving).toBe(false);
    expect(changes).toEqual([false]);
  });

  it('goes SERVING again when a read of the head succeeds', async () => {
    const failing = follower.refresh();
    reads.shift()?.fail();
    await expect(failing).rejects.toThrow('timeout');
    const answered = follower.refresh();
    reads.shift()?.answer();
    await answered;
    expect(follower.serving).toBe(true);
    expect(changes).toEqual([false, true]);
  });
});
