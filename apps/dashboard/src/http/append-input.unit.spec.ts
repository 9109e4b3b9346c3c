import { MAX_KEY_BYTES, MAX_VALUES, parseAppendBody } from './append-input';

describe('POST /api/append body', () => {
  it('takes integers separated by spaces or commas, exactly, at both ends of the 64-bit range', () => {
    expect(parseAppendBody({ values: ' 1, 2  -3,9223372036854775807 -9223372036854775808 ' })).toEqual({
      ok: true,
      input: { values: [1n, 2n, -3n, 2n ** 63n - 1n, -(2n ** 63n)], idempotencyKey: '' },
    });
    expect(parseAppendBody({ values: ['5', '-0'], idempotencyKey: ' order-17 ' })).toEqual({
      ok: true,
      input: { values: [5n, 0n], idempotencyKey: 'order-17' },
    });
  });

  it.each([
    [{ values: '9223372036854775808' }, '9223372036854775808 is outside the signed 64-bit range'],
    [{ values: '-9223372036854775809' }, '-9223372036854775809 is outside the signed 64-bit range'],
    [{ values: '1.5' }, '"1.5" is not an integer'],
    [{ values: '1e3' }, '"1e3" is not an integer'],
    [{ values: 'abc' }, '"abc" is not an integer'],
    [{ values: '0x10' }, '"0x10" is not an integer'],
    [{ values: '' }, 'give at least one integer'],
    [{ values: 5 }, 'values must be a string of integers (or an array of strings)'],
    [{ values: [1, 2] }, 'values must be a string of integers (or an array of strings)'],
    [{ values: '1', idempotencyKey: 7 }, 'idempotencyKey must be a string'],
    [[], 'the body must be a JSON object'],
    [null, 'the body must be a JSON object'],
  ])('refuses %j: %s', (body, message) => {
    expect(parseAppendBody(body)).toEqual({ ok: false, message });
  });

  it('refuses more values than one Append takes, and an idempotency key over 128 bytes', () => {
    expect(parseAppendBody({ values: Array.from({ length: MAX_VALUES + 1 }, () => '1').join(' ') })).toEqual({
      ok: false,
      message: `at most ${MAX_VALUES} values per append, got ${MAX_VALUES + 1}`,
    });
    expect(parseAppendBody({ values: '1', idempotencyKey: 'é'.repeat(MAX_KEY_BYTES / 2 + 1) })).toEqual({
      ok: false,
      message: `idempotencyKey must be at most ${MAX_KEY_BYTES} bytes`,
    });
    expect(parseAppendBody({ values: '1', idempotencyKey: 'k'.repeat(MAX_KEY_BYTES) }).ok).toBe(true);
  });

  it('quotes at most 40 characters of a bad item', () => {
    const result = parseAppendBody({ values: '9'.repeat(10_000) });
    expect(result).toEqual({ ok: false, message: `${'9'.repeat(40)}… is outside the signed 64-bit range` });
  });
});
