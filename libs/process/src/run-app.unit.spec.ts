import { ConfigError, readInteger } from './config';
import { readLogSettings } from './logger';
import { runApp, type AppDefinition } from './run-app';

interface Captured {
  readonly exits: number[];
  readonly out: string[];
  readonly err: string[];
  started: number;
}

function appFor(captured: Captured): AppDefinition<{ port: number }> {
  return {
    name: 'demo',
    description: 'A demo app.',
    settings: [{ variable: 'DEMO_PORT', default: '7', meaning: 'the port' }],
    readConfig: (env) => ({ port: readInteger(env, 'DEMO_PORT', 7, { min: 1, max: 10 }) }),
    async start() {
      captured.started += 1;
      return { stop: async () => undefined };
    },
  };
}

function capture(): Captured {
  return { exits: [], out: [], err: [], started: 0 };
}

describe('runApp', () => {
  it('prints the usage and every setting on --help, exits 0 and starts nothing', async () => {
    const captured = capture();
    await runApp(appFor(captured), { argv: ['--help'], env: {}, exit: (code) => captured.exits.push(code), stdout: (t) => captured.out.push(t) });
    expect(captured.exits).toEqual([0]);
    expect(captured.started).toBe(0);
    const text = captured.out.join('');
    expect(text).toMatch(/^Usage: node dist\/apps\/demo\/main\.js/);
    for (const variable of ['DEMO_PORT', 'LOG_LEVEL', 'LOG_FORMAT', 'EXIT_WITH_PARENT']) expect(text).toContain(variable);
  });

  it('answers an unknown argument with the usage on stderr and exit 1', async () => {
    const captured = capture();
    await runApp(appFor(captured), { argv: ['--port'], env: {}, exit: (code) => captured.exits.push(code), stderr: (t) => captured.err.push(t) });
    expect(captured.exits).toEqual([1]);
    expect(captured.started).toBe(0);
    expect(captured.err.join('')).toMatch(/unknown argument "--port"[\s\S]*Usage:/);
  });

  it('stops at a bad setting with exit 1 and starts nothing', async () => {
    const captured = capture();
    await runApp(appFor(captured), { argv: [], env: { DEMO_PORT: '99', LOG_LEVEL: 'silent' }, exit: (code) => captured.exits.push(code) });
    expect(captured.exits).toEqual([1]);
    expect(captured.started).toBe(0);
  });
});

describe('log settings', () => {
  it('rejects an unknown LOG_LEVEL naming the variable and the allowed values', () => {
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    expect(() => readLogSettings({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/);
    expect(() => readLogSettings({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be one of json, pretty/);
  });

  it('is pretty on a terminal and JSON otherwise unless LOG_FORMAT says', () => {
    expect(readLogSettings({}, true).format).toBe('pretty');
    expect(readLogSettings({}, false).format).toBe('json');
    expect(readLogSettings({ LOG_FORMAT: 'json' }, true).format).toBe('json');
  });
});
