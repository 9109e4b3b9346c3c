import type { AckedAppend, UnknownAppend } from './ledger';

/** What a check of the log read back against the ledger found. */
export interface LogFindings {
  /** Acknowledged appends missing, or not at their offsets with their values. */
  readonly lost: number;
  /** Offsets claimed by two acknowledged appends (renumbering). */
  readonly overlaps: number;
  /** Keyed appends stored a second time, beyond their acknowledged offsets. */
  readonly duplicates: number;
  /** Offsets neither acknowledged nor explained by an unknown-outcome append. */
  readonly unexplainedOffsets: number;
  /** Unknown-outcome appends found stored (once each). */
  readonly unknownLanded: readonly UnknownAppend[];
  /** The first few problems, in words. */
  readonly problems: readonly string[];
}

const MAX_PROBLEMS = 10;

/**
 * Checks `log` (the values at offsets 0..n-1 as read back) against what the
 * clients were told: every acknowledged append at its offsets with its
 * values, no offset claimed twice, and every other offset explained by an
 * unknown-outcome append stored at most once. A stretch that only a keyed,
 * acknowledged append explains is that append stored twice: a duplicate.
 */
export function verifyLog(
  log: ArrayLike<bigint>,
  acked: readonly AckedAppend[],
  unknown: readonly UnknownAppend[],
  explainEveryOffset = true,
): LogFindings {
  const problems: string[] = [];
  const note = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const covered = new Uint8Array(log.length);
  let lost = 0;
  let overlaps = 0;
  for (const append of acked) {
    const first = Number(append.firstOffset);
    const count = append.values.length;
    if (Number(append.nextOffset) - first !== count || first + count > log.length || !matchesAt(log, first, append.values)) {
      lost += 1;
      note(`acknowledged append ${describe(append)} is not in the log with its values`);
      continue;
    }
    for (let offset = first; offset < first + count; offset += 1) {
      if (covered[offset] === 1) overlaps += 1;
      covered[offset] = 1;
    }
  }
  if (overlaps > 0) note(`${overlaps} offsets are claimed by two acknowledged appends`);

  let duplicates = 0;
  let unexplainedOffsets = 0;
  const unknownLanded: UnknownAppend[] = [];
  const unused = new Set(unknown);
  const keyedAcked = acked.filter((append) => append.key !== '');
  for (const run of explainEveryOffset ? uncoveredRuns(covered) : []) {
    const tiling = tile(log, run, [...unused]) ?? tile(log, run, [...unused, ...keyedAcked]);
    if (!tiling) {
      unexplainedOffsets += run.end - run.start;
      note(`offsets ${run.start}..${run.end - 1} were never acknowledged and match no unknown-outcome append`);
      continue;
    }
    for (const append of tiling) {
      if (unused.delete(append as UnknownAppend)) {
        unknownLanded.push(append as UnknownAppend);
      } else {
        duplicates += 1;
        note(`keyed append "${append.key}" is stored a second time within offsets ${run.start}..${run.end - 1}`);
      }
    }
  }
  return { lost, overlaps, duplicates, unexplainedOffsets, unknownLanded, problems };
}

interface Run {
  readonly start: number;
  readonly end: number;
}

function uncoveredRuns(covered: Uint8Array): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let offset = 0; offset <= covered.length; offset += 1) {
    const free = offset < covered.length && covered[offset] === 0;
    if (free && start < 0) start = offset;
    if (!free && start >= 0) {
      runs.push({ start, end: offset });
      start = -1;
    }
  }
  return runs;
}

type Candidate = { readonly key: string; readonly values: readonly bigint[] };

/** Depth-first steps one tiling may take before giving up (and calling the run unexplained). */
const SEARCH_BUDGET = 200_000;

/**
 * Splits `run` into candidates stored back to back (each at most once), by
 * depth-first search. Candidates with equal values are interchangeable, so
 * each position tries every distinct value sequence once.
 */
function tile(log: ArrayLike<bigint>, run: Run, candidates: readonly Candidate[]): Candidate[] | undefined {
  const signatures = new Map(candidates.map((candidate) => [candidate, candidate.values.join(',')]));
  const used = new Set<Candidate>();
  const chosen: Candidate[] = [];
  let steps = 0;
  const search = (offset: number): boolean => {
    if (offset === run.end) return true;
    const tried = new Set<string>();
    for (const candidate of candidates) {
      const signature = signatures.get(candidate) ?? '';
      const end = offset + candidate.values.length;
      if (used.has(candidate) || tried.has(signature) || end > run.end || !matchesAt(log, offset, candidate.values)) continue;
      tried.add(signature);
      steps += 1;
      if (steps > SEARCH_BUDGET) return false;
      used.add(candidate);
      chosen.push(candidate);
      if (search(end)) return true;
      used.delete(candidate);
      chosen.pop();
    }
    return false;
  };
  return search(run.start) ? chosen : undefined;
}

function matchesAt(log: ArrayLike<bigint>, offset: number, values: readonly bigint[]): boolean {
  return values.every((value, index) => log[offset + index] === value);
}

function describe(append: AckedAppend): string {
  const key = append.key === '' ? 'unkeyed' : `"${append.key}"`;
  return `${key} at ${append.firstOffset}..${append.nextOffset - 1n} (${append.values.length} values)`;
}
