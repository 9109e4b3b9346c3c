import { isConfigError, readChoice, type Env } from './config';
import { isDirLocked } from './dir-lock';
import { findLauncherTerminal, stopLine, writeToTerminal } from './launcher-terminal';
import { createLogger, readLogSettings, type Logger } from './logger';
import { watchParent } from './parent-watch';
import { formatSettingsTable, processSettings, type Setting } from './settings';
import { exitOnSignals } from './signals';

/** A started app: what runApp stops on SIGINT/SIGTERM or when the launcher is gone. */
export interface RunningApp {
  stop(): Promise<void>;
}

export interface AppDefinition<Config> {
  /** The service name in every log line, e.g. "eventlog". */
  readonly name: string;
  /** One line saying what the app does, for --help. */
  readonly description: string;
  /** The app's own settings; runApp adds LOG_LEVEL, LOG_FORMAT, EXIT_WITH_PARENT. */
  readonly settings: readonly Setting[];
  /** Reads and validates the config; throws ConfigError naming the variable. */
  readConfig(env: Env): Config;
  start(config: Config, logger: Logger): Promise<RunningApp>;
}

export interface RunAppOptions {
  readonly argv?: readonly string[];
  readonly env?: Env;
  readonly exit?: (code: number) => void;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** The --help text of an app. */
export function usageOf(app: AppDefinition<unknown>): string {
  return [
    `Usage: node dist/apps/${app.name}/main.js [--help]`,
    '',
    app.description,
    '',
    'Settings (environment variables):',
    formatSettingsTable([...app.settings, ...processSettings]),
    '',
  ].join('\n');
}

/**
 * The whole main() of an app. `--help`/`-h` prints the usage and settings and
 * exits 0; any other argument prints the usage to stderr and exits 1 (nothing
 * is started or created in either case). A bad setting is logged naming the
 * variable, exit 1. SIGINT/SIGTERM (and, with EXIT_WITH_PARENT=true, the
 * launcher going away) stop the app and log "stopped", exit 0.
 */
export async function runApp<Config>(app: AppDefinition<Config>, options: RunAppOptions = {}): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    stdout(usageOf(app as AppDefinition<unknown>));
    return exit(0);
  }
  if (argv.length > 0) {
    stderr(`${app.name}: unknown argument "${argv[0]}"\n\n${usageOf(app as AppDefinition<unknown>)}`);
    return exit(1);
  }
  // Under nx serve the app's stdout is a pipe to nx, but nx may be running on
  // a person's terminal: then the default format is pretty there too, and
  // the final line can go to that terminal (read strictly below).
  const terminal = env['LAUNCHER_TERMINAL'] === 'true' && process.stdout.isTTY !== true ? findLauncherTerminal() : undefined;
  let logger: Logger;
  try {
    logger = createLogger(app.name, readLogSettings(env, process.stdout.isTTY === true || terminal !== undefined));
  } catch (error: unknown) {
    // The logger's own settings are bad: report through a logger with defaults.
    reportStartFailure(createLogger(app.name, { level: 'info', format: 'json' }), error);
    return exit(1);
  }
  let config: Config;
  let exitWithParent: boolean;
  let stopToTerminal: boolean;
  try {
    config = app.readConfig(env);
    exitWithParent = readChoice(env, 'EXIT_WITH_PARENT', 'false', ['true', 'false'] as const) === 'true';
    stopToTerminal = readChoice(env, 'LAUNCHER_TERMINAL', 'false', ['true', 'false'] as const) === 'true';
  } catch (error: unknown) {
    reportStartFailure(logger, error);
    return exit(1);
  }
  // The terminal was looked up at start: at stop time the launcher may be gone.
  const announceFinal = stopToTerminal && terminal ? (message: string) => writeToTerminal(terminal, stopLine(app.name, message)) : undefined;
  // The handlers go in before start() is called: an async start runs up to
  // its first await at once, so a start that logs "listening" before it
  // awaits anything would write the line before the handlers existed, and a
  // launcher that sends SIGTERM on that line could then kill the process by
  // the signal's default action (no "stopped", exit by signal; it happened
  // in the stop-line e2e test). A signal is handled on a later turn of the
  // event loop, when `starting` is set.
  const stop = exitOnSignals(logger, async () => (await starting).stop(), { exit, ...(announceFinal ? { announceFinal } : {}) });
  const starting = app.start(config, logger);
  if (exitWithParent) watchParent(() => stop('launcher gone'));
  try {
    await starting;
  } catch (error: unknown) {
    reportStartFailure(logger, error);
    exit(1);
  }
}

function reportStartFailure(logger: Logger, error: unknown): void {
  if (isConfigError(error)) logger.error({ variable: error.variable }, error.message);
  else if (isDirLocked(error)) logger.error({ dir: error.dir, holderPid: error.holderPid }, error.message);
  else logger.error({ err: error }, 'failed to start');
}
