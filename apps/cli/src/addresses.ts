import { DEFAULT_EVENTLOG_ADDRESS, KNOWN_REDUCERS, reducerUrlVariable } from '@hello-es/contracts';
import { CliError, EXIT_USAGE } from './errors';

export interface GlobalOptions {
  readonly json?: boolean;
  readonly log?: string;
  readonly adder?: string;
  readonly multiplier?: string;
  /** TLS with the system's roots (implied by --tls-ca or --tls-cert). */
  readonly tls?: boolean;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  /** commander's `--no-progress`: false switches the terminal progress bar off. */
  readonly progress?: boolean;
}

/** The event log's address: --log, else EVENTLOG_URL, else the app's default. */
export function eventLogAddress(options: GlobalOptions): string {
  return options.log ?? (process.env['EVENTLOG_URL'] || DEFAULT_EVENTLOG_ADDRESS);
}

/**
 * A reducer's address from a known name (flag --adder/--multiplier, else <NAME>_URL,
 * else its default from known-reducers.json) or a literal HOST:PORT.
 */
export function reducerAddress(target: string, options: GlobalOptions): string {
  const known = KNOWN_REDUCERS.find((reducer) => reducer.name === target);
  if (known) {
    const flag = target === 'adder' ? options.adder : target === 'multiplier' ? options.multiplier : undefined;
    return flag ?? (process.env[reducerUrlVariable(target)] || known.listen);
  }
  if (/^[^\s:]+:\d+$/.test(target) || /^\[[^\]]+\]:\d+$/.test(target)) return target;
  const names = KNOWN_REDUCERS.map((reducer) => reducer.name).join(', ');
  throw new CliError(`unknown reducer "${target}": use one of ${names} or HOST:PORT`, EXIT_USAGE);
}

/** Every server the CLI knows: the log and each known reducer. */
export function allServers(options: GlobalOptions): { name: string; address: string }[] {
  return [
    { name: 'eventlog', address: eventLogAddress(options) },
    ...KNOWN_REDUCERS.map((reducer) => ({ name: reducer.name, address: reducerAddress(reducer.name, options) })),
  ];
}
