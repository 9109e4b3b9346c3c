import { createEventLogClient } from '@hello-es/contracts';
import { createRandom, waitFor } from '@hello-es/test-support';
import { CheckState } from '../crash-loop/check-state';
import { Ledger } from '../crash-loop/ledger';
import { runWriter } from '../crash-loop/writer';
import { createLogProbe, type LogProbe } from '../system/log-client';
import { startJetStreamCrashSystem, type JetStreamCrashSystem } from './jetstream-crash-system';

// Real processes: a 3-node NATS cluster (setsid, free ports, temp dirs), an R3
// stream, two gateways (dist/apps/eventlog with EVENTLOG_STORAGE=jetstream),
// the adder subscribed through gateway A and the multiplier through gateway B.
const seed = Number(process.env['RELIABILITY_SEED'] ?? Date.now() % 2 ** 31);
let system: JetStreamCrashSystem | undefined;
let probes: LogProbe[] = [];
let passed = false;

afterAll(async () => {
  for (const probe of probes) probe.close();
  await system?.stop(!passed);
}, 60_000);

/**
 * Proves the scale-out promise end to end: four writers (two per gateway;
 * 30% unkeyed, 50% keyed, 20% keyed with expected_next_offset) append while
 * the stream leader's node is killed -9 and later restarted, then while
 * gateway A is killed -9 (its writers' keyed appends are retried through
 * gateway B with their keys) and restarted on its port (the adder,
 * subscribed through it, resumes). At the end no acknowledged append is lost,
 * moved or stored twice, offsets are dense, every offset is explained by an
 * append that was sent (an unkeyed one of unknown outcome at most once), and
 * both reducers equal the bigint sum and product of the whole log.
 */
it(`loses and duplicates nothing, and both reducers end at the fold of the log, across kill -9 of the stream leader's node and of a gateway (seed ${seed})`, async () => {
  system = await startJetStreamCrashSystem(createRandom(seed + 1_000));
  const running = system;
  probes = running.gateways.map((address) => createLogProbe(address));
  const clients = running.gateways.map((address) => createEventLogClient(address));
  const ledger = new Ledger();
  const state = new CheckState(running, probes);
  let stopped = false;
  let appendIds = 0;
  const writers = Array.from({ length: 4 }, (_, id) =>
    runWriter({
      id,
      clients,
      home: id % 2,
      ledger,
      random: createRandom(seed + id + 1),
      // Small batches: the test is about failover, not volume.
      maxValuesPerAppend: 64,
      nextAppendId: () => (appendIds += 1),
      stopped: () => stopped,
    }),
  );
  const acked = (): number => ledger.acked.length;
  const moreAcks = async (count: number, description: string, timeoutMs = 40_000): Promise<void> => {
    const target = acked() + count;
    await waitFor(() => acked() >= target, { description: `${count} more acknowledged appends ${description}`, timeoutMs, intervalMs: 20 });
  };
  try {
    await moreAcks(100, 'before any kill');

    const leaderName = await running.watch.leader();
    const leader = running.node(leaderName);
    await leader.kill('SIGKILL');
    await moreAcks(50, `with the stream leader's node ${leaderName} down`);
    expect(await running.watch.leader()).not.toBe(leaderName);
    await leader.start();
    await running.watch.whole(running.nats.servers.map((server) => server.name));
    await state.check(ledger, false);

    const [gatewayA] = running.gatewayProcesses;
    const failoversBefore = ledger.failovers;
    const byBBefore = ledger.ackedByGateway[1] ?? 0;
    await gatewayA.kill();
    await moreAcks(50, 'with gateway A down');
    // Writers homed on A got acknowledgements through B.
    expect(ledger.failovers).toBeGreaterThan(failoversBefore);
    expect(ledger.ackedByGateway[1] ?? 0).toBeGreaterThan(byBBefore + 50 - 1);
    await gatewayA.restart();
    const byABefore = ledger.ackedByGateway[0] ?? 0;
    await waitFor(() => (ledger.ackedByGateway[0] ?? 0) >= byABefore + 20, { description: '20 appends acknowledged by the restarted gateway A', timeoutMs: 30_000 });
  } finally {
    stopped = true;
    await Promise.allSettled(writers);
  }
  await Promise.all(writers);
  await state.check(ledger, true);
  for (const client of clients) client.close();

  expect(state.violations).toEqual([]);
  expect(ledger.unexpectedErrors).toEqual([]);
  expect({
    lost: state.lost,
    duplicates: state.duplicates,
    overlaps: state.overlaps,
    unexplained: state.unexplainedOffsets,
    changed: state.prefixChanges,
    reducerMismatches: state.reducerMismatches,
  }).toEqual({ lost: 0, duplicates: 0, overlaps: 0, unexplained: 0, changed: 0, reducerMismatches: 0 });
  // The final check read the whole log, dense from 0, holding every acknowledged append.
  expect(state.log.length).toBeGreaterThanOrEqual(ledger.ackedEvents());
  expect(state.fold.upTo).toBe(state.log.length);
  process.stderr.write(
    `[jetstream e2e] ${ledger.acked.length} appends acknowledged (${ledger.ackedEvents()} events, log ${state.log.length}), ` +
      `${ledger.retries} retries, ${ledger.failovers} failovers, ${ledger.duplicateReplies} duplicate replies, ` +
      `${ledger.unknown.length} unknown outcomes (${state.unknownStored} stored), ${ledger.rejected.length} expected_next_offset refusals\n`,
  );
  passed = true;
}, 180_000);
