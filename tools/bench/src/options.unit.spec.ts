import { includes, parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to a full run of everything, three times', () => {
    expect(parseOptions([])).toEqual({ quick: false, runs: 3, profile: false, only: [] });
  });

  it('reads --quick, --runs, --profile and --only', () => {
    const options = parseOptions(['--quick', '--runs', '5', '--profile', '--only', 'w1,JS']);
    expect(options).toEqual({ quick: true, runs: 5, profile: true, only: ['w1', 'js'] });
    expect(includes(options, 'js')).toBe(true);
    expect(includes(options, 'm')).toBe(false);
  });

  it('refuses unknown arguments, bad run counts and unknown parts with the usage', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument "--fast"\nusage/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs must be an integer from 1 to 50/);
    expect(() => parseOptions(['--runs'])).toThrow(/--runs needs a value/);
    expect(() => parseOptions(['--only', 'w9'])).toThrow(/unknown part w9/);
  });
});
