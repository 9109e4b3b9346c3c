import { waitFor } from '@hello-es/test-support';
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

  /**
   * The stop-line e2e test's app logs "listening" before its start() awaits
   * anything, and its launcher sends SIGTERM on that line: the handlers must
   * already be there when start() runs, or the signal's default action kills
   * the process (what made that test flaky).
   */
  it('has its SIGINT and SIGTERM handlers in place before start() runs, and stops cleanly on a SIGTERM sent meanwhile', async () => {
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const exits: number[] = [];
    let countsInStart: number[] = [];
    let stopped = 0;
    const app: AppDefinition<object> = {
      name: 'demo',
      description: 'A demo app.',
      settings: [],
      readConfig: () => ({}),
      // No await before the counts: this part runs inside runApp's call to start().
      start: async () => {
        countsInStart = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
        return { stop: async () => void (stopped += 1) };
      },
    };
    try {
      await runApp(app, { argv: [], env: { LOG_LEVEL: 'silent' }, exit: (code) => exits.push(code) });
      expect(countsInStart).toEqual([before.SIGINT.length + 1, before.SIGTERM.length + 1]);
      const onTerm = process.listeners('SIGTERM').find((listener) => !before.SIGTERM.includes(listener));
      expect(onTerm).toBeDefined();
      onTerm?.('SIGTERM');
      await waitFor(() => exits.length > 0, { description: 'the exit after SIGTERM', timeoutMs: 2_000 });
      expect(exits).toEqual([0]);
      expect(stopped).toBe(1);
    } finally {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
      }
    }
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
