import { selfTimeByFunction } from './profile-summary';

describe('selfTimeByFunction', () => {
  it('adds up the sampled time per function and ranks by share', () => {
    const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
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
      { name: 'encodeGroup record-format.ts:41', selfMs: 3, share: 0.75 },
      { name: '(program)', selfMs: 1, share: 0.25 },
    ]);
  });
});
