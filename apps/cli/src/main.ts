// hello-es: the command line for the event log and its reducers.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { GlobalOptions } from './addresses';
import { DEFAULT_IN_FLIGHT, MAX_IN_FLIGHT } from './append-lines';
import { benchCommand, type BenchOptions } from './bench';
import { appendCommand, infoCommand, readCommand, stateCommand, subscriptionsCommand, tailCommand, type AppendOptions } from './commands';
import { CliError, EXIT_USAGE } from './errors';
import { healthCommand } from './health';
import { parseInt64, parseUint64 } from './int64';
import { hideIpServerNameWarning } from './warnings';

hideIpServerNameWarning();

/** A commander parser for an integer option within [min, max]. */
const intIn =
  (min: number, max: number) =>
  (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return value;
  };

const program = new Command('hello-es')
  .description('Talk to the hello-es event log and reducers (exit codes: 0 ok, 1 usage, 2 server error, 3 cannot connect).')
  .option('--json', 'one JSON object per line, 64-bit numbers as strings')
  .option('--log <host:port>', 'event log address (env EVENTLOG_URL, default 127.0.0.1:50051)')
  .option('--adder <host:port>', 'adder address (env ADDER_URL, default 127.0.0.1:50052)')
  .option('--multiplier <host:port>', 'multiplier address (env MULTIPLIER_URL, default 127.0.0.1:50053)')
  .option('--tls', 'use TLS, trusting the system\'s roots (implied by --tls-ca or --tls-cert)')
  .option('--tls-ca <file>', 'PEM CA bundle to trust for every server (env EVENTLOG_TLS_CA_FILE)')
  .option('--tls-cert <file>', 'PEM client certificate for mutual TLS, with --tls-key (env EVENTLOG_TLS_CLIENT_CERT_FILE)')
  .option('--tls-key <file>', 'PEM client key for mutual TLS (env EVENTLOG_TLS_CLIENT_KEY_FILE)')
  .option('--token <token>', 'bearer token for every call (env EVENTLOG_TOKEN); visible in the process list, prefer --token-file')
  .option('--token-file <file>', 'file whose first line is the bearer token (env EVENTLOG_TOKEN_FILE); the token is never printed')
  .option('--no-progress', 'no progress bar even when stdout is a terminal (there is none when it is not)')
  .addHelpText(
    'after',
    '\nFlags win over the variables. The TLS files and the token apply to the log and to the reducers alike\n' +
      '(one deployment CA); health checks use TLS but send no token. See docs/cli.md and docs/security.md.\n',
  )
  // Each command's --help lists the addresses, TLS and token flags too.
  .configureHelp({ showGlobalOptions: true })
  .showHelpAfterError()
  .exitOverride();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command('append')
  .description('append integers; prints their offsets ("duplicate" when a retry of an earlier --key)')
  .argument('[values...]', 'signed 64-bit integers, e.g. 3 4 -5', (text: string, previous: bigint[] = []) => [
    ...previous,
    parseInt64(text),
  ])
  .option('--key <key>', 'idempotency key: a retry with the same key is answered as a duplicate')
  .option('--expect-next-offset <n>', 'append only if the log\'s next offset is N (else FAILED_PRECONDITION)', parseUint64)
  .option('--stdin', 'read one integer per line from stdin (streamed; blank lines skipped), append in batches of 1,000 over one AppendStream')
  .option('--in-flight <k>', `with --stdin: batches outstanding at once (1-${MAX_IN_FLIGHT}, default ${DEFAULT_IN_FLIGHT})`, intIn(1, MAX_IN_FLIGHT))
  .addHelpText(
    'after',
    '\nWith --stdin: a counter and events/s on a terminal; events/s at the end. Values land in stdin\'s\n' +
      'order (another writer\'s appends may fall between batches). A bad line (not an integer, outside the\n' +
      'signed 64-bit range) stops the run with exit 1 naming the line: every line before it was appended,\n' +
      'nothing from it on (the message gives the offsets). A failed append stops the run (exit 2 or 3) and\n' +
      'says how many events were appended before it; batches in flight when the connection broke may or\n' +
      'may not be stored.\n',
  )
  // Negative values (-5) look like options to commander; they are parsed as values below.
  .allowUnknownOption()
  .action(async (values: bigint[] | undefined, local: AppendOptions) => {
    await appendCommand(values ?? [], local, globals());
  });

program
  .command('read')
  .description('print events: offset, value, append time (a progress bar on a terminal for 10,000 or more)')
  .option('--from <n>', 'first offset (default 0)', parseUint64)
  .option('--count <n>', 'at most N events (default all)', parseUint64)
  .action(async (local: { from?: bigint; count?: bigint }) => readCommand(local, globals()));

program
  .command('tail')
  .description('follow the log live (like tail -f); Ctrl-C ends it')
  .option('--from <n>', 'first offset (default 0)', parseUint64)
  .option('--from-end', 'only events appended from now on')
  .action(async (local: { from?: bigint; fromEnd?: boolean }) => tailCommand(local, globals()));

program
  .command('state')
  .description('a reducer\'s current state, exact')
  .argument('[reducer]', 'adder, multiplier, stats (any known reducer) or HOST:PORT', 'adder')
  .option('--min-next-offset <n>', 'wait until the reducer has applied every event before offset N', parseUint64)
  .option('--watch', 'print the state now and after every change; Ctrl-C ends it')
  .action(async (target: string, local: { minNextOffset?: bigint; watch?: boolean }) =>
    stateCommand(target, local, globals()),
  );

program.command('info').description('the log\'s id, next offset, storage and replicas').action(async () => infoCommand(globals()));

program
  .command('subscriptions')
  .description('open subscriptions: name, peer, next offset, lag, since, gateway (every gateway\'s on jetstream)')
  .action(async () => subscriptionsCommand(globals()));

program
  .command('health')
  .description('grpc.health.v1 status of the log and every known reducer, one line each; exit 3 unless all SERVING')
  .action(async () => healthCommand(globals()));

program
  .command('bench')
  .description('append+apply benchmark against the running system: events/s, latency to durable and to applied')
  .option('--n <n>', 'events to append, rounded up to a multiple of 4 (1-10,000,000)', intIn(1, 10_000_000), 10_000)
  .option('--in-flight <k>', 'Appends outstanding at once (1-256)', intIn(1, 256), 16)
  .option('--values-per-append <v>', 'values per Append (1-10,000)', intIn(1, 10_000), 10)
  .option('--stream', 'append over one AppendStream (pipelined, in order) instead of unary Append calls')
  .option('--yes', 'do not ask before appending (needed when stdin is not a terminal)')
  .addHelpText(
    'after',
    '\nIt appends REAL events to the log that --log / EVENTLOG_URL names, and to no other: it says which\n' +
      'log (address, log id, next offset) and asks first on a terminal; without a terminal it refuses\n' +
      'unless --yes is given. The events stay in the log. Their values are 1, -1, 1, -1, … so the adder\n' +
      'and the multiplier end where they started (sum 0, product 1 per four); other reducers see them.\n' +
      'Latency "append → durable" is send to reply; "append → applied NAME" is send until the reducer\n' +
      '(--adder / --multiplier / ADDER_URL / MULTIPLIER_URL) is seen past the append via WatchState.\n' +
      'A reducer that is down, or follows another log (its log id differs), is reported and not measured.\n' +
      'Percentiles are nearest-rank over every append of the run.\n',
  )
  .action(async (local: BenchOptions) => benchCommand(local, globals()));

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (error.showUsage) process.stderr.write(`${program.helpInformation()}`);
      return error.exitCode;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

// Exit only once stdout is flushed: a pipe reader must get every line (process.exit drops pending writes).
void main().then((code) => {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
});
