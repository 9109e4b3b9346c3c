import { HeadNotifier } from './head-notifier';

describe('HeadNotifier', () => {
  it('wakes a waiter only once the head is beyond its offset', async () => {
    let head = 0n;
    const notifier = new HeadNotifier(() => head);
    let woken = false;
    const waiting = notifier.waitBeyond(1n, new AbortController().signal).then(() => {
      woken = true;
    });
    head = 1n;
    notifier.advanced();
    await Promise.resolve();
    expect(woken).toBe(false);
    expect(notifier.waiting).toBe(1);
    head = 2n;
    notifier.advanced();
    await waiting;
    expect(woken).toBe(true);
    expect(notifier.waiting).toBe(0);
  });

  it('forgets an aborted wait at once', async () => {
    const notifier = new HeadNotifier(() => 0n);
    const abort = new AbortController();
    const waiting = notifier.waitBeyond(0n, abort.signal);
    expect(notifier.waiting).toBe(1);
    abort.abort();
    await waiting;
    expect(notifier.waiting).toBe(0);
  });
});
