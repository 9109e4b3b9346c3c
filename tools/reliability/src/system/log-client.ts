import {
  callUnary,
  createEventLogClient,
  type EventLogServiceClient,
  type GetLogInfoResponse,
} from '@hello-es/contracts';
import { LogCopy, readBack } from './log-copy';

/** Reads and inspects the event log for checks; close() when done. */
export interface LogProbe {
  readonly client: EventLogServiceClient;
  info(timeoutMs?: number): Promise<GetLogInfoResponse>;
  /**
   * Reads events from `fromOffset` up to the head at the call (or `maxCount`
   * of them) and returns their values; throws if the offsets sent are not
   * dense and increasing from `fromOffset`.
   */
  readValues(fromOffset?: bigint, maxCount?: bigint): Promise<bigint[]>;
  close(): void;
}

export function createLogProbe(address: string): LogProbe {
  const client = createEventLogClient(address);
  return {
    client,
    info: (timeoutMs = 10_000) => callUnary(client.getLogInfo.bind(client), {}, { timeoutMs }),
    readValues: (fromOffset = 0n, maxCount = 0n) => readValues(client, fromOffset, maxCount),
    close: () => client.close(),
  };
}

async function readValues(client: EventLogServiceClient, fromOffset: bigint, maxCount: bigint): Promise<bigint[]> {
  const copy = new LogCopy();
  await readBack(client, copy, fromOffset, maxCount);
  return Array.from(copy.view());
}
