// The quick mode of the reliability suite as jest scenarios (the CI run):
// each scenario fills its part of one summary, and afterAll writes it to
// reports/reliability/latest.md and latest.json and prints the table.
import { QUICK_OPTIONS, type SuiteOptions } from './options';
import { renderMarkdown } from './report/render-markdown';
import { newSummary, violationsOf } from './report/summary';
import { writeReport } from './report/write-report';
import { runScenario, type ScenarioName } from './scenarios';

const options: SuiteOptions = { ...QUICK_OPTIONS, seed: Number(process.env['RELIABILITY_SEED'] ?? Date.now() % 2 ** 31), only: [] };
const summary = newSummary('quick', options.seed);
const started = Date.now();
const progress = (line: string): void => {
  process.stderr.write(`[reliability] ${line}\n`);
};

async function run(name: ScenarioName): Promise<void> {
  await runScenario(name, options, summary, progress);
  expect(summary.errors).toEqual([]);
}

afterAll(async () => {
  summary.durationMs = Date.now() - started;
  await writeReport(summary);
  process.stderr.write(`\n${renderMarkdown(summary)}\n`);
});

describe(`reliability quick mode (seed ${options.seed}; rerun with RELIABILITY_SEED=${options.seed})`, () => {
  it('answers every hostile input with a status, stays SERVING and leaves the log unchanged', async () => {
    await run('hostile');
    expect(summary.propertyRuns).toBeGreaterThan(0);
    expect(summary.hostile?.failures).toEqual([]);
    expect(summary.hostile?.inputsTried).toBeGreaterThan(100);
  }, 120_000);

  it('refuses appends under every storage fault with nothing partial visible, recovers torn tails and stops on mid-log damage', async () => {
    await run('faults');
    const failed = (summary.faults ?? []).filter((fault) => !fault.passed).map((fault) => `${fault.name}: ${fault.detail}`);
    expect(failed).toEqual([]);
    expect(summary.faults?.length).toBe(7);
  }, 120_000);

  it(`loses, duplicates and renumbers no acknowledged append across ${QUICK_OPTIONS.kills} kills, and both reducers end at the fold of the log`, async () => {
    await run('crashLoop');
    const crash = summary.crashLoop;
    expect(crash?.violations).toEqual([]);
    expect(crash?.kills).toBeGreaterThanOrEqual(20);
    expect(crash?.checks).toBe((crash?.kills ?? 0) + 1);
    expect(crash?.appendsAcknowledged).toBeGreaterThan(0);
    expect([crash?.acknowledgedLost, crash?.duplicates, crash?.reducerMismatches, crash?.overlaps, crash?.unexplainedOffsets, crash?.prefixChanges]).toEqual([0, 0, 0, 0, 0, 0]);
  }, 240_000);

  it('keeps memory bounded under stuck, slow and a thousand subscribers, and drops half-open connections by keepalive', async () => {
    await run('peers');
    expect(summary.peers?.violations).toEqual([]);
    expect(summary.peers?.crowdListed).toBe(1_000);
    expect(summary.peers?.ghostsLeft).toBe(0);
  }, 240_000);

  it('shows no upward trend in RSS or open fds during a one-minute soak', async () => {
    await run('soak');
    expect(summary.soak?.violations).toEqual([]);
    expect(summary.soak?.appendsAcknowledged).toBeGreaterThan(0);
  }, 180_000);

  it('reports no violation in the summary', () => {
    expect(violationsOf(summary)).toEqual([]);
  });
});
