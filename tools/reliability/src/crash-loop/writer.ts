import { callUnary, type EventLogServiceClient } from '@hello-es/contracts';
import type { Random } from '@hello-es/test-support';
import { appendWithRetry, pause } from './append-with-retry';
import type { Ledger } from './ledger';
import { randomValues } from './values';

export interface WriterOptions {
  readonly id: number;
  /** One client per gateway; the writer appends through `clients[home]` and fails over to the others. */
  readonly clients: readonly EventLogServiceClient[];
  readonly home: number;
  readonly ledger: Ledger;
  readonly random: Random;
  readonly maxValuesPerAppend: number;
  /** A number no other append of the run gets (shared by all writers). */
  readonly nextAppendId: () => number;
  readonly stopped: () => boolean;
}

type AppendKind = 'unkeyed' | 'keyed' | 'expected';

/**
 * One client appending until told to stop: single values and batches, 30%
 * unkeyed, 50% keyed, 20% keyed with expected_next_offset (read from
 * GetLogInfo just before, so concurrent writers make some of them fail).
 * A keyed retry goes to the next gateway; after a failover the writer stays
 * on the gateway that answered and tries its own again every 20 appends.
 * Every outcome goes into the ledger.
 */
export async function runWriter(options: WriterOptions): Promise<void> {
  const { id, clients, ledger, random } = options;
  let current = options.home;
  for (let sequence = 0; !options.stopped(); sequence += 1) {
    if (sequence % 20 === 0) current = options.home;
    const client = clients[current];
    if (!client) throw new Error(`writer ${id} has no client for gateway ${current}`);
    const roll = random.next();
    const kind: AppendKind = roll < 0.3 ? 'unkeyed' : roll < 0.8 ? 'keyed' : 'expected';
    const values = randomValues(random, options.maxValuesPerAppend, options.nextAppendId());
    const key = kind === 'unkeyed' ? '' : `writer-${id}-${sequence}-${random.int(0, 1e9)}`;
    const expectedNextOffset = kind === 'expected' ? await currentHead(client) : undefined;
    if (kind === 'expected' && expectedNextOffset === undefined) {
      current = (current + 1) % clients.length;
      await pause(100);
      continue;
    }
    const outcome = await appendWithRetry(clients, { values, key, expectedNextOffset }, random, undefined, current);
    // A few ms between appends keeps the log at thousands of events a second,
    // so reading all of it back after each of 200 restarts stays affordable.
    await pause(random.int(5, 25));
    switch (outcome.kind) {
      case 'acked':
        ledger.acked.push({ key, values, firstOffset: outcome.reply.firstOffset, nextOffset: outcome.reply.nextOffset });
        ledger.retries += outcome.attempts - 1;
        if (outcome.reply.duplicate) ledger.duplicateReplies += 1;
        if (outcome.clientIndex !== options.home) ledger.failovers += 1;
        ledger.ackedByGateway[outcome.clientIndex] = (ledger.ackedByGateway[outcome.clientIndex] ?? 0) + 1;
        current = outcome.clientIndex;
        break;
      case 'precondition-failed':
        if (kind === 'expected') ledger.rejected.push({ key, values });
        else ledger.unexpectedErrors.push(`append without expected_next_offset refused: ${outcome.message}`);
        break;
      case 'unknown':
        ledger.unknown.push({ key, values, reason: outcome.reason });
        // An unkeyed append is not retried, but the next append should not go to a gateway that just failed.
        current = (current + 1) % clients.length;
        // The log is probably restarting: give it a moment instead of piling up unknown outcomes.
        await pause(100 + random.int(0, 200));
        break;
      case 'error':
        ledger.unexpectedErrors.push(outcome.message);
        await pause(100);
        break;
    }
  }
}

async function currentHead(client: EventLogServiceClient): Promise<bigint | undefined> {
  try {
    return (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: 2_000 })).nextOffset;
  } catch {
    return undefined;
  }
}
