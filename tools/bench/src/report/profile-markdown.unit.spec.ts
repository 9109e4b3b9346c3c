import { renderProfiles } from './profile-markdown';

describe('renderProfiles', () => {
  it('splits each hop’s CPU per event by its category shares and lists its busiest functions', () => {
    const lines = renderProfiles([
      {
        phase: 'W1 over AppendStream, 64 in flight',
        hops: [
          {
            process: 'adder',
            cpuUsPerEvent: 40,
            file: '/x/adder.cpuprofile',
            breakdown: {
              totalMs: 100,
              idleMs: 50,
              categories: [
                { category: 'grpc-js/http2 transport', share: 0.75 },
                { category: 'bigint arithmetic', share: 0.25 },
              ],
              top: [{ name: 'push subchannel-call.js:381', selfMs: 10, share: 0.2, category: 'grpc-js/http2 transport' }],
            },
          },
        ],
      },
    ]);
    expect(lines).toContain('### W1 over AppendStream, 64 in flight');
    expect(lines).toContain('| adder | 40 | grpc-js/http2 transport 30 (75%), bigint arithmetic 10 (25%) | push subchannel-call.js:381 20.0% |');
    expect(renderProfiles([])).toEqual([]);
  });
});
