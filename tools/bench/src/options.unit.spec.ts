import { exitCodeFor, includes, parseOptions, reportDirFor, USAGE, wantsHelp } from './options';

describe('parseOptions', () => {
  it('defaults to a full run of everything, three times', () => {
    expect(parseOptions([])).toEqual({ quick: false, runs: 3, profile: false, only: [], strict: false, storage: 'file' });
  });

  it('reads --quick, --runs, --profile and --only', () => {
    const options = parseOptions(['--quick', '--runs', '5', '--profile', '--only', 'w1,JS', '--strict']);
    expect(options).toEqual({ quick: true, runs: 5, profile: true, only: ['w1', 'js'], strict: true, storage: 'file' });
    expect(includes(options, 'js')).toBe(true);
    expect(includes(options, 'm')).toBe(false);
  });

  it('refuses unknown arguments, bad run counts and unknown parts with the usage', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument "--fast"\nusage/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs must be an integer from 1 to 50/);
    expect(() => parseOptions(['--runs'])).toThrow(/--runs needs a value/);
    expect(() => parseOptions(['--only', 'w9'])).toThrow(/unknown part w9/);
  });

  it('reads --storage jetstream: one run by default, its own parts, and the report in the git-ignored folder', () => {
    expect(parseOptions(['--storage', 'jetstream'])).toMatchObject({ storage: 'jetstream', runs: 1 });
    expect(parseOptions(['--storage', 'jetstream', '--runs', '2'])).toMatchObject({ runs: 2 });
    expect(parseOptions(['--only', 'm', '--storage', 'jetstream'])).toMatchObject({ only: ['m'] });
    expect(() => parseOptions(['--storage', 'jetstream', '--only', 'redis'])).toThrow(/unknown part redis; known: w1, w1b, w2, m/);
    expect(() => parseOptions(['--storage', 'kafka'])).toThrow(/--storage must be file or jetstream, got kafka/);
    expect(reportDirFor(parseOptions(['--storage', 'jetstream']), '/ws')).toBe('/ws/reports/tmp/bench');
  });

  it('prints the usage on --help, which documents --storage jetstream', () => {
    expect(wantsHelp(['--storage', 'jetstream', '--help'])).toBe(true);
    expect(wantsHelp(['--quick'])).toBe(false);
    expect(USAGE).toContain('--storage S');
    expect(USAGE).toContain('the Debian package\n              nats-server is installed');
  });

  it('publishes only a full run of everything; quick and partial runs go to the git-ignored folder', () => {
    expect(reportDirFor(parseOptions([]), '/ws')).toBe('/ws/reports/bench');
    expect(reportDirFor(parseOptions(['--quick']), '/ws')).toBe('/ws/reports/tmp/bench');
    expect(reportDirFor(parseOptions(['--only', 'w1']), '/ws')).toBe('/ws/reports/tmp/bench');
  });

  it('exits 1 on a missed target only with --strict, and always on a failed workload', () => {
    expect(exitCodeFor(parseOptions([]), ['met', 'missed'], false)).toBe(0);
    expect(exitCodeFor(parseOptions(['--strict']), ['met', 'missed'], false)).toBe(1);
    expect(exitCodeFor(parseOptions(['--strict']), ['met', 'n/a', undefined], false)).toBe(0);
    expect(exitCodeFor(parseOptions([]), ['met'], true)).toBe(1);
  });
});
