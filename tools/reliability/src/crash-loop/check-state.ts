import { status } from '@grpc/grpc-js';
import { waitFor } from '@hello-es/test-support';
import { pause } from './append-with-retry';
import { checkReducers } from './check-reducers';
import type { CrashSystem } from './crash-system';
import { FoldCache } from './fold-cache';
import type { AckedAppend, Ledger } from './ledger';
import { verifyLog } from './verify-log';
import type { LogProbe } from '../system/log-client';
import { LogCopy, readBack } from '../system/log-copy';
import { readRssBytes } from '../system/proc-stats';
import { statusCodeOf } from '../system/rpc-errors';

/** The log as last read back, the fold of it, and what the checks found so far. */
export class CheckState {
  readonly log = new LogCopy();
  readonly fold = new FoldCache();
  readonly violations: string[] = [];
  readonly peakRss: Record<string, number> = {};
  checks = 0;
  lost = 0;
  duplicates = 0;
  overlaps = 0;
  unexplainedOffsets = 0;
  prefixChanges = 0;
  reducerMismatches = 0;
  unknownStored = 0;

  /** Reads of a check retried after UNAVAILABLE or DEADLINE_EXCEEDED (a gateway may say so while NATS elects or is slow). */
  readRetries = 0;

  /** The longest a gateway took to show every append acknowledged before a check (through any gateway). */
  maxHeadLagMs = 0;

  /**
   * `probes`: one per gateway; check n reads through probe n mod their
   * number, so with JetStream every gateway's view of the shared log is
   * checked, not just one.
   */
  constructor(
    private readonly system: CrashSystem,
    private readonly probes: readonly LogProbe[],
  ) {}

  private probeFor(check: number): LogProbe {
    const probe = this.probes[check % this.probes.length];
    if (!probe) throw new Error('CheckState needs at least one probe');
    return probe;
  }

  async sampleRss(): Promise<void> {
    for (const victim of this.system.victims) {
      const pid = victim.pid();
      if (pid < 0) continue;
      const rss = await readRssBytes(pid).catch(() => 0);
      this.peakRss[victim.name] = Math.max(this.peakRss[victim.name] ?? 0, rss);
    }
  }

  /**
   * Reads the whole log back and checks it against the ledger and the
   * reducers; `final` (no append in flight) also explains every offset.
   */
  async check(ledger: Ledger, final: boolean): Promise<void> {
    this.checks += 1;
    const before = ledger.snapshot();
    const probe = this.probeFor(this.checks);
    const info = await waitFor(() => probe.info(2_000), { description: 'the event log to answer GetLogInfo', timeoutMs: 30_000 });
    await this.awaitHead(probe, before.acked);
    const known = this.log.length;
    const { firstChanged, read } = await this.retried(() => readBack(probe.client, this.log));
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
      // A failure here comes before any folding (GetState, reading further), so a retry starts clean.
      const reducers = await this.retried(() => checkReducers(this.system.reducers, BigInt(read), info.logId, this.log, probe.client, this.fold));
      this.reducerMismatches += reducers.mismatches.length;
      this.violations.push(...reducers.mismatches.map((mismatch) => `check ${this.checks}: ${mismatch}`));
    } catch (error: unknown) {
      this.reducerMismatches += 1;
      this.violations.push(`check ${this.checks}: reducer state unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.sampleRss();
  }

  /**
   * Runs a read of a check again, at most 4 times with growing pauses, when
   * it fails as a careful client would retry: UNAVAILABLE or
   * DEADLINE_EXCEEDED. Reading changes nothing, so a retry is always safe.
   */
  private async retried<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await read();
      } catch (error: unknown) {
        const code = statusCodeOf(error);
        if (attempt >= 5 || (code !== status.UNAVAILABLE && code !== status.DEADLINE_EXCEEDED)) throw error;
        this.readRetries += 1;
        await pause(500 * attempt);
      }
    }
  }

  /**
   * Waits (30 s at most) until the gateway's head covers every append
   * acknowledged before the check: a JetStream gateway learns of appends
   * made through another one from the stream, a moment later. Staying
   * behind is a violation (a stalled head), not a lost append.
   */
  private async awaitHead(probe: LogProbe, acked: readonly AckedAppend[]): Promise<void> {
    const target = acked.reduce((furthest, append) => (append.nextOffset > furthest ? append.nextOffset : furthest), 0n);
    const started = Date.now();
    let head = 0n;
    try {
      await waitFor(
        async () => {
          head = (await probe.info(2_000)).nextOffset;
          return head >= target;
        },
        { description: 'the head', timeoutMs: 30_000, intervalMs: 20 },
      );
    } catch {
      this.violations.push(`check ${this.checks}: the gateway's head stayed at ${head} for 30 s while appends up to ${target} were acknowledged`);
    }
    this.maxHeadLagMs = Math.max(this.maxHeadLagMs, Date.now() - started);
  }
}
