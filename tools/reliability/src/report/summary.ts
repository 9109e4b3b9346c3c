import type { CrashLoopResult } from '../crash-loop/crash-loop';
import type { FaultCaseResult } from '../faults/fault-case';
import type { HostileResult } from '../hostile/hostile-input';
import type { PeersResult } from '../peers/peers';
import type { SoakResult } from '../soak/soak';

/** Everything one run of the suite measured; each part is absent if it did not run. */
export interface SuiteSummary {
  readonly mode: 'quick' | 'full';
  readonly seed: number;
  /** The event log's storage in this run (jetstream: the crash loop only). */
  readonly storage: 'file' | 'jetstream';
  readonly startedAt: string;
  durationMs: number;
  crashLoop?: CrashLoopResult;
  faults?: FaultCaseResult[];
  hostile?: HostileResult;
  /** fast-check runs of the event log's validators and decoders. */
  propertyRuns?: number;
  peers?: PeersResult;
  soak?: SoakResult;
  /** Scenarios that threw instead of reporting (the harness itself failed). */
  errors: string[];
}

export function newSummary(mode: 'quick' | 'full', seed: number, storage: 'file' | 'jetstream' = 'file'): SuiteSummary {
  return { mode, seed, storage, startedAt: new Date().toISOString(), durationMs: 0, errors: [] };
}

/** Every promise broken in the run, in words; empty means the run is green. */
export function violationsOf(summary: SuiteSummary): string[] {
  const violations = [...summary.errors];
  const crash = summary.crashLoop;
  if (crash) {
    violations.push(...crash.violations);
    if (crash.violations.length === 0 && (crash.acknowledgedLost || crash.duplicates || crash.reducerMismatches || crash.overlaps || crash.unexplainedOffsets || crash.prefixChanges)) {
      violations.push('crash loop counted violations without describing them');
    }
  }
  for (const fault of summary.faults ?? []) if (!fault.passed) violations.push(`${fault.name}: ${fault.detail}`);
  violations.push(...(summary.hostile?.failures ?? []));
  violations.push(...(summary.peers?.violations ?? []));
  violations.push(...(summary.soak?.violations ?? []));
  return violations;
}
