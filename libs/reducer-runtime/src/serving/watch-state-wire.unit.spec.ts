import fc from 'fast-check';
import { WatchStateResponse } from '@hello-es/contracts';
import { encodeWatchStateResponse, reducerServiceDefinition } from './watch-state-wire';

describe('the hand-written WatchStateResponse encoder', () => {
  it('writes exactly the bytes of the generated encoder', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 64 }),
        fc.oneof(fc.bigInt({ min: -(10n ** 80n), max: 10n ** 80n }).map(String), fc.string({ maxLength: 300, unit: 'grapheme' })),
        fc.bigInt({ min: 0n, max: 2n ** 53n }),
        fc.string({ maxLength: 64, unit: 'grapheme' }),
        (reducer, value, nextOffset, logId) => {
          const state = { reducer, value, nextOffset, logId };
          expect(encodeWatchStateResponse(state)).toEqual(Buffer.from(WatchStateResponse.encode({ state }).finish()));
        },
      ),
    );
  });

  it('is passed through by the definition, which still encodes a plain response', () => {
    const state = { reducer: 'adder', value: '-12', nextOffset: 300n, logId: 'log-1' };
    const bytes = encodeWatchStateResponse(state);
    expect(reducerServiceDefinition.watchState.responseSerialize(bytes)).toBe(bytes);
    expect(reducerServiceDefinition.watchState.responseSerialize({ state })).toEqual(bytes);
  });
});
