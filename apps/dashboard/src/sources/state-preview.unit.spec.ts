import { FULL_DIGITS_LIMIT, previewState } from './state-preview';

describe('state preview', () => {
  it('sends a state of up to 60 characters in full', () => {
    expect(previewState('-9223372036854775808')).toEqual({ value: '-9223372036854775808', shortened: false, digits: 19 });
    const sixty = '9'.repeat(FULL_DIGITS_LIMIT);
    expect(previewState(sixty)).toEqual({ value: sixty, shortened: false, digits: 60 });
  });

  it('shortens a product of thousands of digits to its exact first and last 20 digits and the count', () => {
    const product = (3n ** 20_000n * -1n).toString();
    const digits = product.length - 1;
    expect(digits).toBeGreaterThan(9_000);
    const preview = previewState(product);
    expect(preview).toEqual({ value: `-${product.slice(1, 21)}…${product.slice(-20)}`, shortened: true, digits });
  });
});
