import type { AckedAppend, UnknownAppend } from './ledger';

/** What a check of the log read back against the ledger found. */
export interface LogFindings {
  /** Acknowledged appends missing, or not at their offsets with their values. */
  readonly lost: number;
  /** Offsets claimed by two acknowledged appends (renumbering). */
  readonly overlaps: number;
  /** Acknowledged appends stored a second time, beyond their acknowledged offsets. */
  readonly duplicates: number;
  /** Offsets neither acknowledged nor explained by an unknown-outcome append. */
  readonly unexplainedOffsets: number;
  /** Unknown-outcome appends found stored (once each). */
  readonly unknownLanded: readonly UnknownAppend[];
  /** The first few problems, in words. */
  readonly problems: readonly string[];
}

const MAX_PROBLEMS = 10;

/** An append that was sent, identified by its first value (unique in a run, see values.ts). */
interface SentAppend {
  readonly key: string;
  readonly values: readonly bigint[];
}

type Attribution = { readonly kind: 'acked' | 'unknown' | 'refused'; readonly append: SentAppend };

/**
 * Checks `log` (the values at offsets 0..n-1 as read back) against what the
 * clients were told: every acknowledged append at its offsets with its
 * values, no offset claimed twice, and every other offset explained by an
 * unknown-outcome append stored at most once. Every append starts with a
 * value no other append starts with, so each uncovered stretch is read as a
 * sequence of appends by that first value: an acknowledged append found there
 * is stored twice (a duplicate); an append refused with FAILED_PRECONDITION,
 * a second copy of an unknown one, or values no append starts with are
 * unexplained offsets.
 *
 * Set `explainEveryOffset` to false while clients are still appending: an
 * append can be stored before its reply (or its failure) reaches the ledger,
 * so only the acknowledged appends can be checked then.
 */
export function verifyLog(
  log: ArrayLike<bigint>,
  acked: readonly AckedAppend[],
  unknown: readonly UnknownAppend[],
  explainEveryOffset = true,
  refused: readonly SentAppend[] = [],
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
  if (!explainEveryOffset) return { lost, overlaps, duplicates: 0, unexplainedOffsets: 0, unknownLanded: [], problems };

  const byFirstValue = new Map<bigint, Attribution>();
  const index = (kind: Attribution['kind'], appends: readonly SentAppend[]): void => {
    for (const append of appends) if (append.values[0] !== undefined) byFirstValue.set(append.values[0], { kind, append });
  };
  index('refused', refused);
  index('unknown', unknown);
  index('acked', acked);
  let duplicates = 0;
  let unexplainedOffsets = 0;
  const landed = new Set<SentAppend>();
  for (const run of uncoveredRuns(covered)) {
    for (let offset = run.start; offset < run.end; ) {
      const found = byFirstValue.get(log[offset] as bigint);
      const fits = found !== undefined && offset + found.append.values.length <= run.end && matchesAt(log, offset, found.append.values);
      if (!found || !fits || found.kind === 'refused' || landed.has(found.append)) {
        unexplainedOffsets += 1;
        note(unexplained(offset, found, fits));
        offset += 1;
        continue;
      }
      if (found.kind === 'acked') {
        duplicates += 1;
        note(`${found.append.key === '' ? 'an unkeyed' : `keyed append "${found.append.key}"`} acknowledged append is stored a second time at offset ${offset}`);
      }
      landed.add(found.append);
      offset += found.append.values.length;
    }
  }
  const unknownLanded = unknown.filter((append) => landed.has(append));
  return { lost, overlaps, duplicates, unexplainedOffsets, unknownLanded, problems };
}

function unexplained(offset: number, found: Attribution | undefined, fits: boolean): string {
  if (!found || !fits) return `offset ${offset} was never acknowledged and starts no unknown-outcome append`;
  if (found.kind === 'refused') return `append "${found.append.key}" refused with FAILED_PRECONDITION is stored at offset ${offset}`;
  return `unknown-outcome append is stored a second time at offset ${offset}`;
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

function matchesAt(log: ArrayLike<bigint>, offset: number, values: readonly bigint[]): boolean {
  return values.every((value, index) => log[offset + index] === value);
}

function describe(append: AckedAppend): string {
  const key = append.key === '' ? 'unkeyed' : `"${append.key}"`;
  return `${key} at ${append.firstOffset}..${append.nextOffset - 1n} (${append.values.length} values)`;
}
