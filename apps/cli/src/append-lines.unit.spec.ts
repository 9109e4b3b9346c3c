import type { AppendResponse } from '@hello-es/contracts';
import { deferred } from '@hello-es/test-support';
import { AppendFailedError, appendLines, BadLineError } from './append-lines';

async function* linesOf(lines: readonly string[], read: string[] = []): AsyncGenerator<string> {
  for (const line of lines) {
    read.push(line);
    yield line;
  }
}

/** A fake log: appends at its head, in the order calls arrive. */
function fakeLog() {
  const stored: bigint[] = [];
  const append = async (values: bigint[]): Promise<AppendResponse> => {
    const firstOffset = BigInt(stored.length);
    stored.push(...values);
    return { firstOffset, nextOffset: BigInt(stored.length), duplicate: false };
  };
  return { stored, append };
}

describe('appendLines', () => {
  it('appends every value in batches, skipping blank lines, and reports the offsets', async () => {
    const log = fakeLog();
    const batches: number[] = [];
    const result = await appendLines(linesOf(['1', ' 2 ', '', '-3', '9223372036854775807', '5']), async (values) => {
      batches.push(values.length);
      return log.append(values);
    }, { batch: 2, inFlight: 2 });
    expect(log.stored).toEqual([1n, 2n, -3n, 9223372036854775807n, 5n]);
    expect(batches).toEqual([2, 2, 1]);
    expect(result).toEqual({ events: 5, firstOffset: 0n, nextOffset: 5n });
  });

  it('on a bad line appends every value before it (the partial batch too) and nothing from it on', async () => {
    const log = fakeLog();
    const read: string[] = [];
    const error = await appendLines(linesOf(['1', '2', '3', '1.5', '4'], read), log.append, { batch: 2, inFlight: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadLineError);
    expect(error).toMatchObject({ lineNumber: 4, appended: { events: 3, firstOffset: 0n, nextOffset: 3n } });
    expect(log.stored).toEqual([1n, 2n, 3n]);
    expect(read).not.toContain('4');
  });

  it('never has more than inFlight appends outstanding and reads no further while at the limit', async () => {
    const pending: { values: bigint[]; done: (reply: AppendResponse) => void }[] = [];
    let outstanding = 0;
    let most = 0;
    const read: string[] = [];
    const run = appendLines(linesOf(Array.from({ length: 10 }, (_, i) => String(i)), read), (values) => {
      outstanding += 1;
      most = Math.max(most, outstanding);
      const reply = deferred<AppendResponse>();
      pending.push({ values, done: reply.resolve });
      return reply.promise.finally(() => (outstanding -= 1));
    }, { batch: 1, inFlight: 3 });
    // Let the pipeline fill up: it stops at three and waits.
    for (let turn = 0; turn < 20; turn += 1) await Promise.resolve();
    expect(pending).toHaveLength(3);
    expect(read).toHaveLength(3);
    let offset = 0n;
    while (pending.length > 0 || outstanding > 0) {
      const next = pending.shift();
      if (next) next.done({ firstOffset: offset, nextOffset: (offset += 1n), duplicate: false });
      for (let turn = 0; turn < 20; turn += 1) await Promise.resolve();
    }
    expect(await run).toMatchObject({ events: 10 });
    expect(most).toBe(3);
  });

  it('stops sending after a failed append and reports what was acknowledged', async () => {
    const log = fakeLog();
    let calls = 0;
    const error = await appendLines(linesOf(['1', '2', '3', '4', '5', '6']), async (values) => {
      calls += 1;
      if (calls === 2) throw new Error('storage failed');
      return log.append(values);
    }, { batch: 2, inFlight: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppendFailedError);
    expect((error as AppendFailedError).appended.events).toBe(2);
    expect(((error as AppendFailedError).cause as Error).message).toBe('storage failed');
    expect(calls).toBe(2);
  });

  it('sends no batch after a failure that arrives while the next batch is read', async () => {
    const failed = deferred<AppendResponse>();
    let calls = 0;
    async function* slowLines(): AsyncGenerator<string> {
      yield '1';
      yield '2';
      // The first batch is in flight; it fails before the second is complete.
      failed.reject(new Error('refused'));
      await failed.promise.catch(() => undefined);
      yield '3';
      yield '4';
    }
    const error = await appendLines(slowLines(), () => {
      calls += 1;
      return failed.promise;
    }, { batch: 2, inFlight: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppendFailedError);
    expect(calls).toBe(1);
  });
});
