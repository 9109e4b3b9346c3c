import type { ClientReadableStream } from '@grpc/grpc-js';
import { callUnary, type EventLogServiceClient, type ReducerServiceClient } from '@hello-es/contracts';
import { statusCodeOf } from '../system/rpc-errors';

const UINT64_MAX = 2n ** 64n - 1n;
const ONE_MB_NAME = 'n'.repeat(1024 * 1024);

/** One absurd but well-formed request and the status it must get. */
export interface AbsurdCase {
  readonly name: string;
  /** Runs the call; resolves with the status code (0 for OK). */
  run(): Promise<number>;
  /** The codes that count as a correct answer. */
  readonly accepted: readonly number[];
}

const OK = 0;
const INVALID_ARGUMENT = 3;
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;
const RESOURCE_EXHAUSTED = 8;
const OUT_OF_RANGE = 11;

/** Absurd values sent with the generated clients: each must be refused (or, for Read, bounded) and change nothing. */
export function absurdCases(log: EventLogServiceClient, reducer: ReducerServiceClient, maxValuesPerAppend: number): AbsurdCase[] {
  const append = (request: Parameters<typeof log.append>[0]) => statusOf(callUnary(log.append.bind(log), request, { timeoutMs: 10_000 }));
  return [
    { name: 'Read from_offset = 2^64-1', accepted: [OUT_OF_RANGE], run: () => streamStatus(log.read({ fromOffset: UINT64_MAX, maxCount: 0n })) },
    { name: 'Read max_count = 2^64-1 (reads up to the head)', accepted: [OK], run: () => streamStatus(log.read({ fromOffset: 0n, maxCount: UINT64_MAX })) },
    { name: 'Subscribe from_offset = 2^64-1', accepted: [OUT_OF_RANGE], run: () => streamStatus(log.subscribe({ fromOffset: UINT64_MAX, subscriberName: '' })) },
    { name: 'Subscribe with a 1 MB subscriber_name', accepted: [INVALID_ARGUMENT], run: () => streamStatus(log.subscribe({ fromOffset: 0n, subscriberName: ONE_MB_NAME })) },
    { name: 'Append with a 1 MB idempotency_key', accepted: [INVALID_ARGUMENT], run: () => append({ values: [1n], idempotencyKey: ONE_MB_NAME }) },
    { name: 'Append with a 129-byte idempotency_key', accepted: [INVALID_ARGUMENT], run: () => append({ values: [1n], idempotencyKey: 'k'.repeat(129) }) },
    { name: `Append of ${maxValuesPerAppend + 1} values (one over the maximum)`, accepted: [INVALID_ARGUMENT], run: () => append({ values: Array<bigint>(maxValuesPerAppend + 1).fill(1n), idempotencyKey: '' }) },
    { name: 'Append of no values', accepted: [INVALID_ARGUMENT], run: () => append({ values: [], idempotencyKey: '' }) },
    { name: 'Append of 600,000 values (over 4 MiB)', accepted: [RESOURCE_EXHAUSTED, INVALID_ARGUMENT], run: () => append({ values: Array<bigint>(600_000).fill(2n ** 62n), idempotencyKey: '' }) },
    { name: 'Append with expected_next_offset = 2^64-1', accepted: [FAILED_PRECONDITION], run: () => append({ values: [1n], idempotencyKey: '', expectedNextOffset: UINT64_MAX }) },
    {
      name: 'GetState min_next_offset = 2^64-1 with a 1 s deadline',
      accepted: [DEADLINE_EXCEEDED, OUT_OF_RANGE],
      run: () => statusOf(callUnary(reducer.getState.bind(reducer), { minNextOffset: UINT64_MAX }, { timeoutMs: 1_000 })),
    },
  ];
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return OK;
  } catch (error: unknown) {
    return statusCodeOf(error) ?? -1;
  }
}

/** Drains a finite server stream and resolves with its final status code. */
function streamStatus(stream: ClientReadableStream<unknown>): Promise<number> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => stream.cancel(), 15_000);
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    stream.on('status', (status: { code: number }) => {
      clearTimeout(timer);
      resolve(status.code);
    });
  });
}
