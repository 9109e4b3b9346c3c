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

describe('HeadNotifier under one signal', () => {
  it('serves many waits with one abort listener, and an abort still wakes the pending one', async () => {
    let head = 0n;
    const notifier = new HeadNotifier(() => head);
    const abort = new AbortController();
    let listeners = 0;
    const add = abort.signal.addEventListener.bind(abort.signal);
    abort.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    for (let offset = 0n; offset < 100n; offset += 1n) {
      const waiting = notifier.waitBeyond(offset, abort.signal);
      head = offset + 1n;
      notifier.advanced();
      await waiting;
    }
    expect(listeners).toBe(1);
    const pending = notifier.waitBeyond(head, abort.signal);
    expect(notifier.waiting).toBe(1);
    abort.abort();
    await pending;
    expect(notifier.waiting).toBe(0);
  });

  it('answers at once when the head is already beyond the offset or the signal aborted', async () => {
    const notifier = new HeadNotifier(() => 5n);
    await notifier.waitBeyond(4n, new AbortController().signal);
    const aborted = new AbortController();
    aborted.abort();
    await notifier.waitBeyond(9n, aborted.signal);
    expect(notifier.waiting).toBe(0);
  });
});
