import type { EvaluatedRow } from './evaluate';
import type { FigureResult } from './figure-result';
import type { MachineInfo } from './machine';
import type { ReferenceRow } from './rows';
import type { PhaseProfile } from '../system/phase-profile';

/** Everything one benchmark run produced, as written to latest.json. */
export interface BenchReport {
  readonly startedAt: string;
  readonly wallTimeSeconds: number;
  readonly mode: 'quick' | 'full';
  readonly runs: number;
  readonly machine: MachineInfo;
  /** The 1-minute load average when the run started and ended: a busy machine moves every figure. */
  readonly loadAverage?: { readonly start: number; readonly end: number };
  /** The sizes used, by name (events per workload, subscribers...). */
  readonly sizes: Readonly<Record<string, number>>;
  readonly rows: readonly EvaluatedRow[];
  readonly references: readonly { readonly row: ReferenceRow; readonly result: FigureResult }[];
  /** How things were measured, JetStream's durability, skips. */
  readonly notes: readonly string[];
  /** With --profile: per W1 phase, each process's CPU per event and where it went. */
  readonly profiles?: readonly PhaseProfile[];
}
