import { waitFor } from '@hello-es/test-support';
import { checkReducers } from './check-reducers';
import type { CrashSystem } from './crash-system';
import { FoldCache } from './fold-cache';
import type { Ledger } from './ledger';
import { verifyLog } from './verify-log';
import type { LogProbe } from '../system/log-client';
import { LogCopy, readBack } from '../system/log-copy';
import { readRssBytes } from '../system/proc-stats';

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

  constructor(
    private readonly system: CrashSystem,
    private readonly probe: LogProbe,
  ) {}

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
      const reducers = await checkReducers(this.system.reducers, BigInt(read), info.logId, this.log, this.probe.client, this.fold);
      this.reducerMismatches += reducers.mismatches.length;
      this.violations.push(...reducers.mismatches.map((mismatch) => `check ${this.checks}: ${mismatch}`));
    } catch (error: unknown) {
      this.reducerMismatches += 1;
      this.violations.push(`check ${this.checks}: reducer state unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.sampleRss();
  }
}
