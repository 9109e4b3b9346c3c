import { callUnary, createReducerClient, type EventLogServiceClient, type State } from '@hello-es/contracts';
import { waitFor } from '@hello-es/test-support';
import type { FoldCache } from './fold-cache';
import { readBack, type LogCopy } from '../system/log-copy';

export interface ReducerCheck {
  readonly mismatches: readonly string[];
}

/**
 * Asks each reducer for its state at least at `head` (read-your-writes) and
 * compares it with the fold of the log read back: the sum for the adder, the
 * product for the multiplier, at the reducer's own next offset. Reads more of
 * the log when a reducer is already past what `log` holds (it grows in place).
 * With JetStream the reducer may follow another gateway than `client`'s, one
 * whose head is ahead for a moment: the read is repeated (bounded) until
 * `client`'s gateway has those events too.
 */
export async function checkReducers(
  reducers: { adder: string; multiplier: string },
  head: bigint,
  logId: string,
  log: LogCopy,
  client: EventLogServiceClient,
  fold: FoldCache,
): Promise<ReducerCheck> {
  const [adder, multiplier] = await Promise.all([stateAt(reducers.adder, head), stateAt(reducers.multiplier, head)]);
  const furthest = adder.nextOffset > multiplier.nextOffset ? adder.nextOffset : multiplier.nextOffset;
  if (furthest > BigInt(log.length)) {
    await waitFor(
      async () => {
        await readBack(client, log, BigInt(log.length), furthest - BigInt(log.length));
        return BigInt(log.length) >= furthest;
      },
      { description: `the checked gateway to hold offset ${furthest - 1n}, where a reducer already is`, timeoutMs: 30_000, intervalMs: 20 },
    );
  }
  const mismatches: string[] = [];
  const ordered = [
    { state: adder, pick: (f: { sum: bigint }) => f.sum },
    { state: multiplier, pick: (f: { product: bigint }) => f.product },
  ].sort((a, b) => (a.state.nextOffset < b.state.nextOffset ? -1 : 1));
  for (const { state, pick } of ordered) {
    const expected = pick(fold.foldTo(log.view(), Number(state.nextOffset)));
    if (state.value !== expected.toString()) {
      mismatches.push(`${state.reducer} at ${state.nextOffset}: ${shorten(state.value)} but the log folds to ${shorten(expected.toString())}`);
    }
    if (state.logId !== logId) mismatches.push(`${state.reducer} follows log ${state.logId}, the log is ${logId}`);
  }
  return { mismatches };
}

async function stateAt(address: string, minNextOffset: bigint): Promise<State> {
  const client = createReducerClient(address);
  try {
    const reply = await callUnary(client.getState.bind(client), { minNextOffset }, { timeoutMs: 45_000 });
    if (!reply.state) throw new Error(`reducer at ${address} answered GetState without a state`);
    return reply.state;
  } finally {
    client.close();
  }
}

function shorten(decimal: string): string {
  return decimal.length <= 40 ? decimal : `${decimal.slice(0, 18)}…${decimal.slice(-18)} (${decimal.length} digits)`;
}
