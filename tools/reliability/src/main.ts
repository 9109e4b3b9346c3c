// The reliability suite from the command line:
//   tsx tools/reliability/src/main.ts [--quick] [--storage file|jetstream] [--soak-minutes N] [--kills N] [--seed N] [--only a,b] [--help]
// Runs every scenario, prints the summary table, writes reports/reliability/
// latest.md and latest.json, and exits 1 on any violation (2 on bad usage).
import { HelpRequested, parseOptions, UsageError, type SuiteOptions } from './options';
import { newSummary, violationsOf } from './report/summary';
import { writeReport } from './report/write-report';
import { runScenario, SCENARIOS, type ScenarioName } from './scenarios';

async function main(): Promise<number> {
  let options: SuiteOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error: unknown) {
    if (error instanceof HelpRequested) {
      console.log(error.message);
      return 0;
    }
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const progress = (line: string): void => console.log(`[reliability ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const soak = options.storage === 'jetstream' ? '' : `, ${options.soakMinutes} min soak`;
  progress(`${options.mode} mode, ${options.storage} storage: ${options.kills} kills${soak}, seed ${options.seed}`);
  const started = Date.now();
  const summary = newSummary(options.mode, options.seed, options.storage);
  for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
    if (options.only.length > 0 && !options.only.includes(name)) continue;
    await runScenario(name, options, summary, progress);
  }
  summary.durationMs = Date.now() - started;
  // --storage jetstream runs its one scenario (crashLoop) through `only`: that is the whole suite there, and publishes jetstream-*.
  const partial = options.storage === 'file' && options.only.length > 0;
  console.log(`\n${await writeReport(summary, { partial })}`);
  const violations = violationsOf(summary);
  progress(violations.length === 0 ? 'PASS' : `FAIL: ${violations.length} violations`);
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
