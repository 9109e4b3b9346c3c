import { ExpectedOffsetMismatch, IdempotencyKeyConflict, StoreClosed } from '../errors';
import type { LogStore } from '../store/log-store';

export interface StoreUnderTest {
  readonly store: LogStore;
  /** Closes the store (if still open) and removes what it left behind. */
  cleanup(): Promise<void>;
}

async function readAll(store: LogStore, from = 0n): Promise<bigint[]> {
  const values: bigint[] = [];
  let next = from;
  while (next < store.nextOffset()) {
    const batch = await store.read(next, 4_096);
    values.push(...batch.values);
    next += BigInt(batch.count);
  }
  return values;
}

/** The LogStore behaviour every backend must have, written once. */
export function describeLogStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`LogStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: LogStore;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(() => subject.cleanup());

    it('starts empty with a log id and its storage name', async () => {
      expect(store.nextOffset()).toBe(0n);
      expect(store.logId).toMatch(/^[0-9a-f-]{36}$/);
      expect(store.storage).toBe(name);
      expect((await store.read(0n, 10)).count).toBe(0);
    });

    it('gives appends dense offsets and reads them back in order', async () => {
      expect(await store.append({ values: [1n, 2n] })).toEqual({ firstOffset: 0n, nextOffset: 2n, duplicate: false });
      expect(await store.append({ values: [-(2n ** 63n), 2n ** 63n - 1n, 0n] })).toEqual({
        firstOffset: 2n,
        nextOffset: 5n,
        duplicate: false,
      });
      const batch = await store.read(1n, 100);
      expect(batch.firstOffset).toBe(1n);
      expect([...batch.values]).toEqual([2n, -(2n ** 63n), 2n ** 63n - 1n, 0n]);
      expect(batch.appendTimesMs[0]).toBeGreaterThan(Date.now() - 60_000);
    });

    it('keeps concurrent appends atomic and dense', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) => store.append({ values: [BigInt(index), BigInt(index)] })),
      );
      const all = await readAll(store);
      expect(all).toHaveLength(100);
      for (const [index, result] of results.entries()) {
        expect(result.nextOffset - result.firstOffset).toBe(2n);
        expect(all[Number(result.firstOffset)]).toBe(BigInt(index));
        expect(all[Number(result.firstOffset) + 1]).toBe(BigInt(index));
      }
    });

    it('rejects an append whose expected next offset is not the head, appending nothing', async () => {
      await store.append({ values: [7n] });
      await expect(store.append({ values: [8n], expectedNextOffset: 0n })).rejects.toEqual(new ExpectedOffsetMismatch(0n, 1n));
      expect(await store.append({ values: [9n], expectedNextOffset: 1n })).toMatchObject({ firstOffset: 1n });
      expect(await readAll(store)).toEqual([7n, 9n]);
    });

    it('answers a retried keyed append with the original offsets and appends nothing', async () => {
      await store.append({ values: [1n] });
      const first = await store.append({ values: [5n, 6n], idempotencyKey: 'k', expectedNextOffset: 1n });
      const retry = await store.append({ values: [5n, 6n], idempotencyKey: 'k', expectedNextOffset: 1n });
      expect(retry).toEqual({ ...first, duplicate: true });
      await expect(store.append({ values: [5n], idempotencyKey: 'k' })).rejects.toBeInstanceOf(IdempotencyKeyConflict);
      expect(await readAll(store)).toEqual([1n, 5n, 6n]);
    });

    it('appends a key sent twice at once only once', async () => {
      const [a, b] = await Promise.all([
        store.append({ values: [3n], idempotencyKey: 'same' }),
        store.append({ values: [3n], idempotencyKey: 'same' }),
      ]);
      expect([a?.duplicate, b?.duplicate].sort()).toEqual([false, true]);
      expect(a?.firstOffset).toBe(b?.firstOffset);
      expect(store.nextOffset()).toBe(1n);
    });

    it('wakes waiters when the head advances and when their signal aborts', async () => {
      const waiting = store.waitForHeadBeyond(0n, new AbortController().signal);
      await store.append({ values: [1n] });
      await expect(waiting).resolves.toBeUndefined();
      const abort = new AbortController();
      const aborted = store.waitForHeadBeyond(5n, abort.signal);
      abort.abort();
      await expect(aborted).resolves.toBeUndefined();
      expect(store.nextOffset()).toBe(1n);
    });

    it('reads long logs in bounded batches', async () => {
      for (let round = 0; round < 10; round += 1) {
        await store.append({ values: Array.from({ length: 10_000 }, (_, index) => BigInt(round * 10_000 + index)) });
      }
      const batch = await store.read(12_345n, 4_096);
      expect(batch.count).toBe(4_096);
      expect(batch.values[0]).toBe(12_345n);
      expect(batch.values[4_095]).toBe(12_345n + 4_095n);
      const tail = await store.read(99_990n, 4_096);
      expect([...tail.values]).toEqual(Array.from({ length: 10 }, (_, index) => 99_990n + BigInt(index)));
    });

    it('refuses appends once closed', async () => {
      await store.close();
      await expect(store.append({ values: [1n] })).rejects.toBeInstanceOf(StoreClosed);
    });
  });
}
