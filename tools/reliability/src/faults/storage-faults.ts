import { join } from 'node:path';
import { readEventLogConfig, startEventLogServer, type RunningEventLogServer, type FileLayer, FileLogStore, FaultyFileLayer, type StorageFault } from '@hello-es/eventlog/testing';
import { status } from '@grpc/grpc-js';
import { callUnary, createEventLogClient, type AppendResponse } from '@hello-es/contracts';
import { createLogger } from '@hello-es/process';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { checkHealth } from '../system/health';
import { createLogProbe } from '../system/log-client';
import { statusCodeOf, statusName } from '../system/rpc-errors';
import { ensure, faultCase, type FaultCaseResult } from './fault-case';

const BASELINE = [1n, 2n, 3n];
const FAULTED = [7n, 8n, 9n];

/**
 * Each storage fault against an in-process event log over the injectable
 * file layer: the append under the fault must fail with UNAVAILABLE or
 * INTERNAL and a message (or, for a plain short write, succeed whole), leave
 * head and content unchanged, succeed on retry once the fault clears, and
 * the log must reopen from disk with exactly the acknowledged events.
 */
export async function runStorageFaults(): Promise<FaultCaseResult[]> {
  const results: FaultCaseResult[] = [];
  for (const fault of ['disk-full', 'fsync-error', 'short-write-then-disk-full', 'short-write'] as const) {
    results.push(await faultCase(`storage fault: ${fault}`, () => checkFault(fault)));
  }
  return results;
}

async function checkFault(fault: StorageFault): Promise<string> {
  const dir = await makeTempDir('reliability-fault-');
  const layer = new FaultyFileLayer();
  let server = await startInProcess(dir, layer);
  try {
    const key = `faulted-${fault}`;
    await append(server.address, BASELINE, 'baseline');
    layer.set(fault);
    const failure = await append(server.address, FAULTED, key).then(
      (reply) => ({ code: status.OK, message: `stored at ${reply.firstOffset}` }),
      (error: unknown) => ({ code: statusCodeOf(error), message: error instanceof Error ? error.message : String(error) }),
    );
    ensure(layer.injected > 0, `the ${fault} fault was never hit`);
    // A plain short write may be finished by the store (a loop, as write(2)
    // callers do) or refused as a fault; either way nothing partial shows.
    const expectSuccess = fault === 'short-write' && failure.code === status.OK;
    let expected = BASELINE;
    if (expectSuccess) {
      expected = [...BASELINE, ...FAULTED];
    } else {
      ensure(failure.code === status.UNAVAILABLE || failure.code === status.INTERNAL, `expected UNAVAILABLE or INTERNAL, got ${statusName(failure.code)}`);
      ensure(failure.message.replace(/^\d+ [A-Z_]+: /, '').length > 0, 'the status carries no message');
    }
    await expectContent(server.address, expected, `while the ${fault} fault is active`);
    ensure((await checkHealth(server.address)) === 'SERVING', `not SERVING during the ${fault} fault`);
    layer.clear();
    const retry = await append(server.address, FAULTED, key);
    if (!expectSuccess) {
      ensure(!retry.duplicate && retry.firstOffset === BigInt(BASELINE.length), `retry after the fault cleared: ${JSON.stringify({ ...retry, firstOffset: String(retry.firstOffset), nextOffset: String(retry.nextOffset) })}`);
    }
    await expectContent(server.address, [...BASELINE, ...FAULTED], 'after the fault cleared');
    await server.shutdown();
    server = await startInProcess(dir, layer);
    await expectContent(server.address, [...BASELINE, ...FAULTED], 'after reopening from disk');
    const again = await append(server.address, FAULTED, key);
    ensure(again.duplicate && again.firstOffset === BigInt(BASELINE.length), 'the key was not remembered across the reopen');
    return `${statusName(failure.code)}: ${failure.message}`;
  } finally {
    await server.shutdown();
    await removeTempDir(dir);
  }
}

async function startInProcess(dir: string, fileLayer: FileLayer): Promise<RunningEventLogServer> {
  const config = readEventLogConfig({ DATA_DIR: dir, EVENTLOG_LISTEN: '127.0.0.1:0' });
  const logger = createLogger('eventlog', 'silent');
  const store = await FileLogStore.open({ dir: join(dir, 'eventlog'), logger, fileLayer });
  return startEventLogServer(config, logger, { store });
}

async function append(address: string, values: readonly bigint[], key: string): Promise<AppendResponse> {
  const client = createEventLogClient(address);
  try {
    return await callUnary(client.append.bind(client), { values: [...values], idempotencyKey: key }, { timeoutMs: 10_000 });
  } finally {
    client.close();
  }
}

/** Head and Read both show exactly `expected`. */
export async function expectContent(address: string, expected: readonly bigint[], when: string): Promise<void> {
  const probe = createLogProbe(address);
  try {
    const info = await probe.info();
    const values = await probe.readValues();
    ensure(info.nextOffset === BigInt(expected.length), `${when}: head is ${info.nextOffset}, expected ${expected.length}`);
    ensure(values.join(',') === expected.join(','), `${when}: the log reads [${values.join(',')}], expected [${expected.join(',')}]`);
  } finally {
    probe.close();
  }
}
