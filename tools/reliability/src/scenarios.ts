import { runCrashLoop } from './crash-loop/crash-loop';
import type { FaultCaseResult } from './faults/fault-case';
import { runDamagedFiles } from './faults/damaged-files';
import { runStorageFaults } from './faults/storage-faults';
import { runHostileInput } from './hostile/hostile-input';
import { runValidatorProperties } from './hostile/validator-properties';
import type { SuiteOptions } from './options';
import { runPeers } from './peers/peers';
import type { SuiteSummary } from './report/summary';
import { runSoak } from './soak/soak';

export type Progress = (line: string) => void;

/** Each scenario runs on its own and fills its part of the summary. */
export const SCENARIOS = {
  crashLoop: async (options: SuiteOptions, summary: SuiteSummary, progress: Progress) => {
    summary.crashLoop = await runCrashLoop({ kills: options.kills, seed: options.seed, storage: options.storage, progress });
  },
  faults: async (_options: SuiteOptions, summary: SuiteSummary) => {
    const results: FaultCaseResult[] = [...(await runStorageFaults()), ...(await runDamagedFiles())];
    summary.faults = results;
  },
  hostile: async (options: SuiteOptions, summary: SuiteSummary) => {
    summary.propertyRuns = runValidatorProperties(options.mode === 'quick' ? 200 : 2_000, options.seed);
    summary.hostile = await runHostileInput({ seed: options.seed, garbagePerMethod: options.garbagePerMethod });
  },
  peers: async (options: SuiteOptions, summary: SuiteSummary, progress: Progress) => {
    summary.peers = await runPeers({
      preloadEvents: options.mode === 'quick' ? 200_000 : 1_000_000,
      crowdSize: 1_000,
      slowReaderSeconds: options.slowReaderSeconds,
      progress,
    });
  },
  soak: async (options: SuiteOptions, summary: SuiteSummary, progress: Progress) => {
    summary.soak = await runSoak({ minutes: options.soakMinutes, seed: options.seed, progress });
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** Runs one scenario; a thrown error is recorded in the summary instead of escaping. */
export async function runScenario(name: ScenarioName, options: SuiteOptions, summary: SuiteSummary, progress: Progress): Promise<void> {
  const started = Date.now();
  progress(`${name}: starting`);
  try {
    await SCENARIOS[name](options, summary, progress);
  } catch (error: unknown) {
    summary.errors.push(`${name} did not complete: ${error instanceof Error ? error.message : String(error)}`);
  }
  progress(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
