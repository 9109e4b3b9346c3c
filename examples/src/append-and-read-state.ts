/**
 * The original post's walk-through with the generated clients: append an
 * event, then read both reducers' states once they have applied it.
 *
 *   npx tsx examples/src/append-and-read-state.ts [value]
 *
 * Uses EVENTLOG_URL, ADDER_URL and MULTIPLIER_URL when set, otherwise the
 * default addresses of `npx nx run-many -t serve`.
 */
import {
  callUnary,
  createEventLogClient,
  createReducerClient,
  DEFAULT_ADDER_ADDRESS,
  DEFAULT_EVENTLOG_ADDRESS,
  DEFAULT_MULTIPLIER_ADDRESS,
} from '@hello-es/contracts';
import { randomUUID } from 'node:crypto';

async function main(): Promise<void> {
  const value = BigInt(process.argv[2] ?? '3');
  const log = createEventLogClient(process.env['EVENTLOG_URL'] ?? DEFAULT_EVENTLOG_ADDRESS);
  const adder = createReducerClient(process.env['ADDER_URL'] ?? DEFAULT_ADDER_ADDRESS);
  const multiplier = createReducerClient(process.env['MULTIPLIER_URL'] ?? DEFAULT_MULTIPLIER_ADDRESS);
  try {
    // The key makes a retry of this append safe: a second call returns duplicate = true.
    const appended = await callUnary(log.append.bind(log), { values: [value], idempotencyKey: randomUUID() }, { timeoutMs: 5_000 });
    console.log(`appended ${value} at offset ${appended.firstOffset}; the log's next offset is ${appended.nextOffset}`);
    for (const reducer of [adder, multiplier]) {
      // Read your own write: wait until the reducer has applied every event below nextOffset.
      const { state } = await callUnary(
        reducer.getState.bind(reducer),
        { minNextOffset: appended.nextOffset },
        { timeoutMs: 5_000 },
      );
      console.log(`${state?.reducer} = ${state?.value} after ${state?.nextOffset} events`);
    }
  } finally {
    log.close();
    adder.close();
    multiplier.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
