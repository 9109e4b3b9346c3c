import { SubscribeResponse } from '@hello-es/contracts';
import { MemoryLogStore } from '../store/memory/memory-log-store';
import { SharedBatches } from './shared-batch';

function eventsOf(message: Buffer): bigint[] {
  const decoded = SubscribeResponse.decode(message);
  if (decoded.kind?.$case !== 'events') throw new Error(`not an events message: ${decoded.kind?.$case}`);
  return decoded.kind.value.events.map((event) => event.value);
}

describe('SharedBatches', () => {
  it('reads and encodes a range once for every subscriber asking for it at the same head', async () => {
    const store = new MemoryLogStore();
    await store.append({ values: BigInt64Array.from([5n, -7n]), expectedNextOffset: undefined, idempotencyKey: undefined });
    const reads = jest.spyOn(store, 'read');
    const shared = new SharedBatches({ store });
    const first = await shared.read(0n);
    const second = await shared.read(0n);
    expect(second.message).toBe(first.message);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(eventsOf(first.message)).toEqual([5n, -7n]);
    expect((await shared.read(1n)).count).toBe(1);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('gives a subscriber asking after the head moved the batch already read, and the new events on its next read', async () => {
    const store = new MemoryLogStore();
    await store.append({ values: BigInt64Array.from([1n]), expectedNextOffset: undefined, idempotencyKey: undefined });
    const reads = jest.spyOn(store, 'read');
    const shared = new SharedBatches({ store });
    const first = await shared.read(0n);
    await store.append({ values: BigInt64Array.from([2n, 3n]), expectedNextOffset: undefined, idempotencyKey: undefined });
    const later = await shared.read(0n);
    expect(later.message).toBe(first.message);
    expect(eventsOf(later.message)).toEqual([1n]);
    // Both subscriptions are now at offset 1 and share the next batch too.
    const next = await shared.read(1n);
    expect(await shared.read(1n)).toBe(next);
    expect(eventsOf(next.message)).toEqual([2n, 3n]);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read: the next subscriber tries the store again', async () => {
    const store = new MemoryLogStore();
    await store.append({ values: BigInt64Array.from([1n]), expectedNextOffset: undefined, idempotencyKey: undefined });
    const reads = jest.spyOn(store, 'read').mockRejectedValueOnce(new Error('disk gone'));
    const shared = new SharedBatches({ store });
    await expect(shared.read(0n)).rejects.toThrow('disk gone');
    expect((await shared.read(0n)).count).toBe(1);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('does not keep an empty read: once events are there, the same offset reads them', async () => {
    const store = new MemoryLogStore();
    const shared = new SharedBatches({ store });
    expect((await shared.read(0n)).count).toBe(0);
    await store.append({ values: BigInt64Array.from([4n]), expectedNextOffset: undefined, idempotencyKey: undefined });
    expect(eventsOf((await shared.read(0n)).message)).toEqual([4n]);
  });
});
