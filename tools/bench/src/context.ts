import { Outcomes } from './report/outcomes';
import { Progress } from './progress';
import type { Sizes } from './sizes';
import type { SpawnContext } from './system/apps';
import type { ProfileSession } from './system/phase-profile';
import { SelfProfile } from './system/self-profile';

/** What every workload gets: where to record, how big, how to spawn. */
export interface BenchContext {
  readonly outcomes: Outcomes;
  readonly progress: Progress;
  readonly sizes: Sizes;
  readonly spawn: SpawnContext;
  /** Lines for the report's notes (a Set: the same note from every run appears once). */
  readonly notes: Set<string>;
  /** With --profile: each W1 phase is profiled in every process and summarised here. */
  readonly profiles?: ProfileSession;
}

/** A run's context; with --profile's folder, each app and each W1 phase is profiled. */
export function createBenchContext(sizes: Sizes, notes: Iterable<string>, profileDir: string | undefined): BenchContext {
  const common = { outcomes: new Outcomes(), progress: new Progress(), sizes, notes: new Set(notes) };
  if (profileDir === undefined) return { ...common, spawn: {} };
  return { ...common, spawn: { profileDir }, profiles: { dir: profileDir, self: new SelfProfile(profileDir), phases: [] } };
}

/** With --profile: stops the benchmark's own profiler and says where its profile is. */
export async function stopClientProfile(context: BenchContext): Promise<void> {
  if (context.profiles) context.progress.note(`wrote the client's CPU profile ${await context.profiles.self.stop()}`);
}

/** The message of anything thrown, for a FAILED cell. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'number' ? `gRPC ${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Records `error` as the failure of each of `ids` in this run. */
export function failAll(context: BenchContext, ids: readonly string[], error: unknown): void {
  const reason = reasonOf(error);
  for (const id of ids) context.outcomes.failed(id, reason);
  context.progress.note(`FAILED: ${reason.split('\n')[0] ?? reason}`);
}

/**
 * Records one run's figures of a workload; when the workload throws, the
 * figures it had not recorded yet fail with the error.
 */
export class RunRecorder {
  private readonly done = new Set<string>();

  constructor(
    private readonly context: BenchContext,
    private readonly ids: readonly string[],
  ) {}

  value(id: string, value: number): void {
    this.context.outcomes.value(id, value);
    this.done.add(id);
  }

  failRest(error: unknown): void {
    failAll(this.context, this.ids.filter((id) => !this.done.has(id)), error);
  }
}
