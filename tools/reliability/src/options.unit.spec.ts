import { HelpRequested, JETSTREAM_KILLS, parseOptions, UsageError } from './options';

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

  it('runs only the crash loop with --storage jetstream, with its own kill counts unless --kills is given', () => {
    expect(parseOptions(['--storage', 'jetstream'], 1)).toMatchObject({ storage: 'jetstream', kills: JETSTREAM_KILLS.full, only: ['crashLoop'] });
    expect(parseOptions(['--quick', '--storage', 'jetstream'], 1)).toMatchObject({ mode: 'quick', kills: JETSTREAM_KILLS.quick });
    expect(parseOptions(['--storage', 'jetstream', '--kills', '3'], 1)).toMatchObject({ kills: 3 });
    expect(parseOptions([], 1).storage).toBe('file');
  });

  it('refuses an unknown storage and file-only scenarios with jetstream', () => {
    expect(() => parseOptions(['--storage', 'redis'])).toThrow('--storage must be file or jetstream');
    expect(() => parseOptions(['--storage', 'jetstream', '--only', 'soak'])).toThrow('not soak');
  });

  it('answers --help with the usage, which documents --storage', () => {
    expect(() => parseOptions(['--help'])).toThrow(HelpRequested);
    expect(() => parseOptions(['--help'])).toThrow('--storage S');
  });
});
