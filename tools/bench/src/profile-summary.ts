// Prints where a CPU profile spent its time, by function (self time).
//
//   tsx tools/bench/src/profile-summary.ts reports/bench/profiles/<run>/eventlog-123.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

/** The parts of a V8 .cpuprofile this summary needs. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionShare {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Self time per function (same name and location merged), largest first. */
export function selfTimeByFunction(profile: CpuProfile): FunctionShare[] {
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${basename(url)}:${lineNumber + 1}` : '';
    nameOf.set(node.id, `${functionName || '(anonymous)'}${where}`);
  }
  const microseconds = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const name = nameOf.get(id) ?? '(unknown)';
    microseconds.set(name, (microseconds.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...microseconds.entries()]
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
  const top = Number(process.argv[3] ?? '25');
  const shares = selfTimeByFunction(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  for (const { name, selfMs, share } of shares.slice(0, top)) {
    process.stdout.write(`${(share * 100).toFixed(1).padStart(5)}%  ${selfMs.toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}

if (require.main === module) main();
