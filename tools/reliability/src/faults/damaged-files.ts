import { appendFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { callUnary, createEventLogClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { encodeGroup, recordPosition } from '@hello-es/eventlog/testing';
import { startManagedProcess, type ManagedProcess } from '../system/managed-process';
import { ensure, faultCase, type FaultCaseResult } from './fault-case';
import { expectContent } from './storage-faults';

/** Ten acknowledged appends of 1..10 values: 55 events. */
const APPENDS = Array.from({ length: 10 }, (_, index) => Array.from({ length: index + 1 }, (__, value) => BigInt(index * 100 + value)));
const EVENTS = APPENDS.flat();

/**
 * Damages events.log of a spawned event log the way a crash or a bad disk
 * would, restarts it, and checks the recovery: a torn tail is truncated and
 * the log serves every acknowledged event; a damaged record before the tail
 * stops start-up with a non-zero exit and a message naming file and offset.
 */
export async function runDamagedFiles(): Promise<FaultCaseResult[]> {
  return [
    await faultCase('torn tail: 13 stray bytes after the last record', () =>
      tornTail(async (file) => appendFile(file, Buffer.from('partial-write'))),
    ),
    await faultCase('torn tail: an incomplete group write (2 of 3 checksummed records)', () =>
      tornTail(async (file) => appendFile(file, encodeGroup([[5n, 6n, 7n]], BigInt(EVENTS.length), Date.now()).subarray(0, 64))),
    ),
    await faultCase('damaged record in the middle stops start-up', corruptMiddle),
  ];
}

async function withStoppedLog(body: (eventlog: ManagedProcess, file: string) => Promise<string>): Promise<string> {
  const dir = await makeTempDir('reliability-damage-');
  const eventlog = await startManagedProcess('eventlog', { dataDir: dir });
  try {
    const client = createEventLogClient(eventlog.address);
    try {
      for (const values of APPENDS) await callUnary(client.append.bind(client), { values, idempotencyKey: '' }, { timeoutMs: 10_000 });
    } finally {
      client.close();
    }
    await eventlog.kill();
    return await body(eventlog, join(dir, 'eventlog', 'events.log'));
  } finally {
    await eventlog.kill();
    await removeTempDir(dir);
  }
}

function tornTail(damage: (file: string) => Promise<void>): Promise<string> {
  return withStoppedLog(async (eventlog, file) => {
    await damage(file);
    await eventlog.restart();
    await expectContent(eventlog.address, EVENTS, 'after recovering the torn tail');
    const client = createEventLogClient(eventlog.address);
    try {
      const reply = await callUnary(client.append.bind(client), { values: [42n], idempotencyKey: '' }, { timeoutMs: 10_000 });
      ensure(reply.firstOffset === BigInt(EVENTS.length), `the next append went to ${reply.firstOffset}, expected ${EVENTS.length}`);
    } finally {
      client.close();
    }
    const warning = eventlog.output().find((line) => line.includes('"level":40'));
    return `recovered ${EVENTS.length} events; ${warning ? `warned: ${JSON.parse(warning).msg as string}` : 'no warning logged'}`;
  });
}

function corruptMiddle(): Promise<string> {
  return withStoppedLog(async (eventlog, file) => {
    const offset = Math.floor(EVENTS.length / 2);
    const handle = await open(file, 'r+');
    try {
      // Flip one bit of the value: the record's checksum no longer matches.
      const at = recordPosition(offset) + 2;
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, at);
      byte[0] = (byte[0] ?? 0) ^ 0x10;
      await handle.write(byte, 0, 1, at);
    } finally {
      await handle.close();
    }
    const failure = await eventlog.restart().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    ensure(failure !== undefined, 'the event log started on a log with a damaged record');
    ensure(/exited \((?!0\))/.test(failure), `expected a non-zero exit: ${failure.split('\n')[0] ?? ''}`);
    ensure(failure.includes('events.log') && failure.includes(`offset ${offset}`), `the message does not name the file and offset ${offset}: ${failure}`);
    return failure.split('\n').find((line) => line.includes(`offset ${offset}`)) ?? failure;
  });
}
