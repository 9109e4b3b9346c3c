import { createEventLogClient } from '@hello-es/contracts';
import { makeTempDir, createRandom } from '@hello-es/test-support';
import { createLogProbe } from '../system/log-client';
import { pause } from './append-with-retry';
import { CheckState } from './check-state';
import { startFileCrashSystem, type CrashSystem } from './crash-system';
import { Ledger } from './ledger';
import { runWriter } from './writer';
import { startJetStreamCrashSystem } from '../jetstream/jetstream-crash-system';

export type CrashLoopStorage = 'file' | 'jetstream';

export interface CrashLoopOptions {
  readonly kills: number;
  readonly seed: number;
  /** file: one event log on a data dir; jetstream: two gateways over an R3 stream on a 3-node NATS cluster. */
  readonly storage?: CrashLoopStorage;
  readonly writers?: number;
  /** Appends carry up to this many values (the event log's maximum). */
  readonly maxValuesPerAppend?: number;
  readonly progress?: (line: string) => void;
}

export interface CrashLoopResult {
  readonly storage: CrashLoopStorage;
  readonly kills: number;
  /** By victim name: eventlog, adder, multiplier; or gateway-a, gateway-b, nats-leader, nats-follower, adder, multiplier. */
  readonly killsByProcess: Record<string, number>;
  readonly checks: number;
  readonly appendsAcknowledged: number;
  readonly eventsAcknowledged: number;
  readonly logLength: number;
  readonly acknowledgedLost: number;
  readonly duplicates: number;
  readonly overlaps: number;
  readonly unexplainedOffsets: number;
  /** Events read back earlier that later changed or vanished. */
  readonly prefixChanges: number;
  readonly reducerMismatches: number;
  readonly unknownOutcomeAppends: number;
  readonly unknownOutcomeStored: number;
  readonly retries: number;
  /** Acknowledged appends answered by a gateway other than the writer's own (after a failure there). */
  readonly failovers: number;
  /** The longest a gateway took to show every append acknowledged before a check (through any gateway). */
  readonly maxHeadLagMs: number;
  /** Reads of the checks retried after UNAVAILABLE or DEADLINE_EXCEEDED. */
  readonly readRetries: number;
  readonly duplicateReplies: number;
  readonly rejectedPreconditions: number;
  readonly unexpectedErrors: number;
  /** By victim name (NATS nodes are not sampled). */
  readonly peakRssBytes: Record<string, number>;
  readonly durationMs: number;
  readonly violations: readonly string[];
}

/**
 * Starts the system, lets several clients append while killing a random
 * process with SIGKILL and restarting it on the same data and port, `kills`
 * times, and checks the log and both reducers after every restart and at the
 * end.
 */
export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopResult> {
  const started = Date.now();
  const storage = options.storage ?? 'file';
  const random = createRandom(options.seed);
  const progress = options.progress ?? (() => undefined);
  const system: CrashSystem =
    storage === 'file' ? await startFileCrashSystem(await makeTempDir('reliability-crash-')) : await startJetStreamCrashSystem(createRandom(options.seed + 1_000));
  const probes = system.gateways.map((address) => createLogProbe(address));
  const gatewayClients = system.gateways.map((address) => createEventLogClient(address));
  const ledger = new Ledger();
  const state = new CheckState(system, probes);
  const killsByProcess: Record<string, number> = Object.fromEntries(system.victims.map((victim) => [victim.name, 0]));
  let stopped = false;
  let appendIds = 0;
  const writers = Array.from({ length: options.writers ?? 4 }, (_, id) =>
    runWriter({
      id,
      clients: gatewayClients,
      home: id % gatewayClients.length,
      ledger,
      random: createRandom(options.seed + id + 1),
      maxValuesPerAppend: options.maxValuesPerAppend ?? 10_000,
      nextAppendId: () => (appendIds += 1),
      stopped: () => stopped,
    }),
  );
  try {
    for (let kill = 1; kill <= options.kills; kill += 1) {
      await pause(random.int(150, 900));
      const victim = random.pick(system.victims);
      await state.sampleRss();
      await victim.kill();
      await victim.restart();
      killsByProcess[victim.name] = (killsByProcess[victim.name] ?? 0) + 1;
      await state.check(ledger, false);
      progress(`kill ${kill}/${options.kills} (${victim.name}): ${ledger.acked.length} appends acknowledged, log at ${state.log.length}`);
    }
  } catch (error: unknown) {
    stopped = true;
    await Promise.allSettled(writers);
    for (const client of gatewayClients) client.close();
    for (const probe of probes) probe.close();
    await system.stop(true);
    throw new Error(`${error instanceof Error ? error.message : String(error)} (data kept in ${system.dataDir})`, { cause: error });
  }
  stopped = true;
  await Promise.all(writers);
  try {
    await state.check(ledger, true);
  } catch (error: unknown) {
    await system.stop(true);
    throw error;
  } finally {
    for (const client of gatewayClients) client.close();
    for (const probe of probes) probe.close();
  }
  const violations = [...state.violations, ...ledger.unexpectedErrors.slice(0, 10).map((error) => `unexpected error: ${error}`)];
  await system.stop(violations.length > 0);
  if (violations.length > 0) violations.push(`data kept for inspection in ${system.dataDir}`);
  return {
    storage,
    kills: options.kills,
    killsByProcess,
    checks: state.checks,
    appendsAcknowledged: ledger.acked.length,
    eventsAcknowledged: ledger.ackedEvents(),
    logLength: state.log.length,
    acknowledgedLost: state.lost,
    duplicates: state.duplicates,
    overlaps: state.overlaps,
    unexplainedOffsets: state.unexplainedOffsets,
    prefixChanges: state.prefixChanges,
    reducerMismatches: state.reducerMismatches,
    unknownOutcomeAppends: ledger.unknown.length,
    unknownOutcomeStored: state.unknownStored,
    retries: ledger.retries,
    failovers: ledger.failovers,
    maxHeadLagMs: state.maxHeadLagMs,
    readRetries: state.readRetries,
    duplicateReplies: ledger.duplicateReplies,
    rejectedPreconditions: ledger.rejected.length,
    unexpectedErrors: ledger.unexpectedErrors.length,
    peakRssBytes: state.peakRss,
    durationMs: Date.now() - started,
    violations,
  };
}
