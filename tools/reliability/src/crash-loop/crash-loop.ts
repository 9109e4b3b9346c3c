import { createEventLogClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { createRandom } from '@hello-es/test-support';
import { createLogProbe, type LogProbe } from '../system/log-client';
import { startSystem, type AppName, type RunningSystem } from '../system/managed-process';
import { readRssBytes } from '../system/proc-stats';
import { pause } from './append-with-retry';
import { checkReducers } from './check-reducers';
import { FoldCache } from './fold-cache';
import { Ledger } from './ledger';
import { LogCopy, readBack } from '../system/log-copy';
import { verifyLog } from './verify-log';
import { runWriter } from './writer';

export interface CrashLoopOptions {
  readonly kills: number;
  readonly seed: number;
  readonly writers?: number;
  /** Appends carry up to this many values (the event log's maximum). */
  readonly maxValuesPerAppend?: number;
  readonly progress?: (line: string) => void;
}

export interface CrashLoopResult {
  readonly kills: number;
  readonly killsByProcess: Record<AppName, number>;
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
  readonly duplicateReplies: number;
  readonly rejectedPreconditions: number;
  readonly unexpectedErrors: number;
  readonly peakRssBytes: Record<AppName, number>;
  readonly durationMs: number;
  readonly violations: readonly string[];
}

const APPS: readonly AppName[] = ['eventlog', 'adder', 'multiplier'];

/**
 * Spawns the three apps, lets several clients append while killing a random
 * one with SIGKILL and restarting it on the same data dir, `kills` times, and
 * checks the log and both reducers after every restart and at the end.
 */
export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopResult> {
  const started = Date.now();
  const random = createRandom(options.seed);
  const progress = options.progress ?? (() => undefined);
  const dataDir = await makeTempDir('reliability-crash-');
  const system = await startSystem(dataDir);
  const probe = createLogProbe(system.eventlog.address);
  const clients = Array.from({ length: options.writers ?? 4 }, () => createEventLogClient(system.eventlog.address));
  const ledger = new Ledger();
  const state = new CheckState(system, probe);
  const killsByProcess: Record<AppName, number> = { eventlog: 0, adder: 0, multiplier: 0 };
  let stopped = false;
  let appendIds = 0;
  const writers = clients.map((client, id) =>
    runWriter({
      id,
      client,
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
      const victim = random.pick(system.all);
      await state.sampleRss();
      await victim.kill();
      await victim.restart();
      killsByProcess[victim.name] += 1;
      await state.check(ledger, false);
      progress(`kill ${kill}/${options.kills} (${victim.name}): ${ledger.acked.length} appends acknowledged, log at ${state.log.length}`);
    }
  } finally {
    stopped = true;
    await Promise.all(writers);
  }
  try {
    await state.check(ledger, true);
  } finally {
    for (const client of clients) client.close();
    probe.close();
    await system.killAll();
  }
  const violations = [...state.violations, ...ledger.unexpectedErrors.slice(0, 10).map((error) => `unexpected error: ${error}`)];
  if (violations.length === 0) await removeTempDir(dataDir);
  else violations.push(`data kept for inspection in ${dataDir}`);
  return {
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
    duplicateReplies: ledger.duplicateReplies,
    rejectedPreconditions: ledger.rejected.length,
    unexpectedErrors: ledger.unexpectedErrors.length,
    peakRssBytes: state.peakRss,
    durationMs: Date.now() - started,
    violations,
  };
}

/** The log as last read back, the fold of it, and what the checks found so far. */
class CheckState {
  readonly log = new LogCopy();
  readonly fold = new FoldCache();
  readonly violations: string[] = [];
  readonly peakRss: Record<AppName, number> = { eventlog: 0, adder: 0, multiplier: 0 };
  checks = 0;
  lost = 0;
  duplicates = 0;
  overlaps = 0;
  unexplainedOffsets = 0;
  prefixChanges = 0;
  reducerMismatches = 0;
  unknownStored = 0;

  constructor(
    private readonly system: RunningSystem,
    private readonly probe: LogProbe,
  ) {}

  async sampleRss(): Promise<void> {
    for (const app of APPS) {
      const rss = await readRssBytes(this.system[app].pid()).catch(() => 0);
      this.peakRss[app] = Math.max(this.peakRss[app], rss);
    }
  }

  /** Reads the whole log back and checks it against the ledger and the reducers. */
  async check(ledger: Ledger, final: boolean): Promise<void> {
    this.checks += 1;
    const before = ledger.snapshot();
    const info = await waitFor(() => this.probe.info(2_000), { description: 'the event log to answer GetLogInfo', timeoutMs: 30_000 });
    const known = this.log.length;
    const { firstChanged, read } = await readBack(this.probe.client, this.log);
    if (firstChanged >= 0) {
      this.prefixChanges += 1;
      this.violations.push(`check ${this.checks}: offset ${firstChanged} read back differently than before`);
    }
    if (read < known) {
      this.prefixChanges += 1;
      this.violations.push(`check ${this.checks}: the log shrank from ${known} to ${read} events`);
    }
    const log = this.log.view().subarray(0, read);
    const findings = final ? verifyLog(log, ledger.acked, ledger.unknown, true, ledger.rejected) : verifyLog(log, before.acked, [], false);
    this.lost = Math.max(this.lost, findings.lost);
    this.overlaps = Math.max(this.overlaps, findings.overlaps);
    if (final) {
      this.duplicates = findings.duplicates;
      this.unexplainedOffsets = findings.unexplainedOffsets;
      this.unknownStored = findings.unknownLanded.length;
      // The key is checked before expected_next_offset, so such a retry must have been answered duplicate=true.
      for (const append of findings.unknownLanded.filter((unknown) => unknown.reason === 'precondition-on-retry')) {
        this.violations.push(`keyed append "${append.key}" was stored, yet its retry got FAILED_PRECONDITION instead of duplicate=true`);
      }
    }
    this.violations.push(...findings.problems.map((problem) => `check ${this.checks}: ${problem}`));
    try {
      const reducers = await checkReducers(
        { adder: this.system.adder.address, multiplier: this.system.multiplier.address },
        BigInt(read), info.logId, this.log, this.probe.client, this.fold,
      );
      this.reducerMismatches += reducers.mismatches.length;
      this.violations.push(...reducers.mismatches.map((mismatch) => `check ${this.checks}: ${mismatch}`));
    } catch (error: unknown) {
      this.reducerMismatches += 1;
      this.violations.push(`check ${this.checks}: reducer state unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.sampleRss();
  }
}
