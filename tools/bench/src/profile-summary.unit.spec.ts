import { breakdownOf, selfTimeByFunction } from './profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('selfTimeByFunction', () => {
  it('adds up the sampled time per function and ranks by share', () => {
    const shares = selfTimeByFunction({
      nodes: [
        { id: 1, callFrame: frame('(program)') },
        { id: 2, callFrame: frame('encodeGroup', 'file:///x/record-format.ts', 40) },
        { id: 3, callFrame: frame('encodeGroup', 'file:///x/record-format.ts', 40) },
      ],
      samples: [2, 1, 3, 2],
      timeDeltas: [1000, 1000, 1000, 1000],
    });
    expect(shares).toEqual([
      { name: 'encodeGroup record-format.ts:41', selfMs: 3, share: 0.75, category: 'protobuf encode/decode' },
      { name: '(program)', selfMs: 1, share: 0.25, category: 'native (program)' },
    ]);
  });
});

describe('breakdownOf', () => {
  /**
   * Proves the categories a hop's CPU is split into: a builtin counts as its
   * caller's work, and the profiler's own start/stop (node:inspector) is left
   * out with the idle time rather than charged to the app.
   */
  it('groups busy time by category, charging builtins to their caller and leaving the profiler out', () => {
    const grpc = 'file:///w/node_modules/@grpc/grpc-js/build/src/subchannel-call.js';
    const breakdown = breakdownOf(
      {
        nodes: [
          { id: 1, callFrame: frame('(root)'), children: [2, 4, 6, 7, 8] },
          { id: 2, callFrame: frame('post', 'node:inspector'), children: [3] },
          { id: 3, callFrame: frame('dispatch') },
          { id: 4, callFrame: frame('push', grpc), children: [5] },
          { id: 5, callFrame: frame('writeBuffer') },
          { id: 6, callFrame: frame('(garbage collector)') },
          { id: 7, callFrame: frame('applyBatch', 'file:///w/libs/reducer-runtime/src/state/apply-batch.ts') },
          { id: 8, callFrame: frame('(idle)') },
        ],
        samples: [3, 4, 5, 6, 7, 8],
        timeDeltas: [5000, 1000, 1000, 1000, 1000, 2000],
      },
      2,
    );
    expect(breakdown.totalMs).toBe(11);
    expect(breakdown.idleMs).toBe(7);
    expect(breakdown.categories).toEqual([
      { category: 'grpc-js/http2 transport', share: 0.5 },
      { category: 'bigint arithmetic', share: 0.25 },
      { category: 'GC', share: 0.25 },
    ]);
    expect(breakdown.top.map((f) => f.name)).toHaveLength(2);
  });
});
