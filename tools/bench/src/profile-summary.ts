// Prints where a CPU profile spent its time, by function (self time) and by
// category (transport, protobuf, our code, bigint, GC, logging/metrics, …).
//
//   tsx tools/bench/src/profile-summary.ts reports/bench/profiles/<run>/eventlog-123.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { categoryOf, CATEGORIES, SourceResolver, type Category } from './profile-categories';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber?: number;
  };
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
  /** Of all sampled time, idle included. */
  readonly share: number;
  readonly category: Category;
}

/** Where a profile's busy (non-idle) time went. */
export interface ProfileBreakdown {
  /** Sampled time, idle included, and the idle part, in ms. */
  readonly totalMs: number;
  readonly idleMs: number;
  /** Share of the busy time per category (sums to 1 when anything was busy), largest first. */
  readonly categories: readonly { readonly category: Category; readonly share: number }[];
  /** The busiest functions (idle left out), with their share of the busy time. */
  readonly top: readonly FunctionShare[];
}

/**
 * Self time per function (same name and location merged), largest first.
 * A frame in a bundled app (dist/apps/NAME/main.js) is named after its
 * original source file when `resolver` can read the bundle's source map.
 */
export function selfTimeByFunction(profile: CpuProfile, resolver?: SourceResolver): FunctionShare[] {
  const frameOf = new Map<number, { name: string; category: Category }>();
  // Starting and stopping the profiler (node:inspector's post) is sampled too,
  // and its first sample carries the time since the profile started: left
  // out with the idle time, it is not the app's work.
  const underInspector = inspectorNodesOf(profile);
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const sourceOf = (node: ProfileNode): string => {
    const { url, lineNumber, columnNumber } = node.callFrame;
    return resolver?.originalSource(url, lineNumber, columnNumber ?? 0) ?? url;
  };
  // A builtin (no url: a socket write, a Buffer copy, runMicrotasks) counts
  // as the work of the JS function that called it.
  const categoryOfNode = (node: ProfileNode): Category => {
    if (underInspector.has(node.id)) return 'idle';
    const parent = parentOf.get(node.id);
    if (node.callFrame.url === '' && !node.callFrame.functionName.startsWith('(') && parent && parent.callFrame.functionName !== '(root)') {
      const own = categoryOf(node.callFrame.functionName, '');
      return own === 'bigint arithmetic' ? own : categoryOfNode(parent);
    }
    return categoryOf(node.callFrame.functionName, sourceOf(node));
  };
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const source = sourceOf(node);
    const where = source ? ` ${basename(source)}${source === url ? `:${lineNumber + 1}` : ''}` : '';
    frameOf.set(node.id, { name: `${functionName || '(anonymous)'}${where}`, category: categoryOfNode(node) });
  }
  const microseconds = new Map<string, { us: number; category: Category }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = frameOf.get(id) ?? { name: '(unknown)', category: 'node runtime' as Category };
    const entry = microseconds.get(frame.name);
    if (entry) entry.us += delta;
    else microseconds.set(frame.name, { us: delta, category: frame.category });
    total += delta;
  });
  return [...microseconds.entries()]
    .map(([name, { us, category }]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0, category }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** The nodes at or under a node:inspector frame. */
function inspectorNodesOf(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const found = new Set<number>();
  const mark = (id: number): void => {
    if (found.has(id)) return;
    found.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const node of profile.nodes) if (node.callFrame.url === 'node:inspector') mark(node.id);
  return found;
}

/** The busy time of a profile by category, and its `top` busiest functions. */
export function breakdownOf(profile: CpuProfile, top: number, resolver?: SourceResolver): ProfileBreakdown {
  const shares = selfTimeByFunction(profile, resolver);
  const totalMs = shares.reduce((sum, s) => sum + s.selfMs, 0);
  const idleMs = shares.filter((s) => s.category === 'idle').reduce((sum, s) => sum + s.selfMs, 0);
  const busyMs = totalMs - idleMs;
  const byCategory = new Map<Category, number>();
  for (const s of shares) if (s.category !== 'idle') byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + s.selfMs);
  const categories = CATEGORIES.filter((c) => byCategory.has(c))
    .map((category) => ({ category, share: busyMs > 0 ? (byCategory.get(category) ?? 0) / busyMs : 0 }))
    .sort((a, b) => b.share - a.share);
  const busiest = shares
    .filter((s) => s.category !== 'idle')
    .slice(0, top)
    .map((s) => ({ ...s, share: busyMs > 0 ? s.selfMs / busyMs : 0 }));
  return { totalMs, idleMs, categories, top: busiest };
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
  const top = Number(process.argv[3] ?? '25');
  const breakdown = breakdownOf(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, new SourceResolver());
  const busy = breakdown.totalMs - breakdown.idleMs;
  process.stdout.write(`busy ${busy.toFixed(0)} ms of ${breakdown.totalMs.toFixed(0)} ms sampled\n\nby category (share of busy time):\n`);
  for (const { category, share } of breakdown.categories) process.stdout.write(`${(share * 100).toFixed(1).padStart(5)}%  ${category}\n`);
  process.stdout.write('\nby function (self time, share of busy time):\n');
  for (const { name, selfMs, share, category } of breakdown.top) {
    process.stdout.write(`${(share * 100).toFixed(1).padStart(5)}%  ${selfMs.toFixed(0).padStart(7)} ms  ${name}  [${category}]\n`);
  }
}

if (require.main === module) main();
