import { parseOptions, UsageError } from './options';

describe('parseOptions', () => {
  it('defaults to the full mode: 200 kills and a 10-minute soak', () => {
    expect(parseOptions([], 7)).toMatchObject({ mode: 'full', kills: 200, soakMinutes: 10, seed: 7 });
  });

  it('takes --quick, --kills, --soak-minutes and --seed', () => {
    expect(parseOptions(['--quick', '--kills', '25', '--soak-minutes', '2', '--seed', '9'], 1)).toMatchObject({ mode: 'quick', kills: 25, soakMinutes: 2, seed: 9 });
  });

  it('refuses unknown flags and bad numbers with a usage message', () => {
    expect(() => parseOptions(['--kill', '3'])).toThrow(UsageError);
    expect(() => parseOptions(['--kills', 'many'])).toThrow('--kills needs a positive number');
  });
});
