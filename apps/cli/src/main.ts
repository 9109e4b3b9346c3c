// hello-es: the command line for the event log and its reducers.
import { Command, CommanderError } from 'commander';
import type { GlobalOptions } from './addresses';
import {
  appendCommand,
  infoCommand,
  readCommand,
  stateCommand,
  subscriptionsCommand,
  tailCommand,
} from './commands';
import { CliError, EXIT_USAGE } from './errors';
import { healthCommand } from './health';
import { parseInt64, parseUint64 } from './int64';

const program = new Command('hello-es')
  .description('Talk to the hello-es event log and reducers (exit codes: 0 ok, 1 usage, 2 server error, 3 cannot connect).')
  .option('--json', 'one JSON object per line, 64-bit numbers as strings')
  .option('--log <host:port>', 'event log address (env EVENTLOG_URL, default 127.0.0.1:50051)')
  .option('--adder <host:port>', 'adder address (env ADDER_URL, default 127.0.0.1:50052)')
  .option('--multiplier <host:port>', 'multiplier address (env MULTIPLIER_URL, default 127.0.0.1:50053)')
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
  .option('--stdin', 'read one integer per line from stdin; appends in batches of 1,000, prints events/s')
  // Negative values (-5) look like options to commander; they are parsed as values below.
  .allowUnknownOption()
  .action(async (values: bigint[] | undefined, local: { key?: string; expectNextOffset?: bigint; stdin?: boolean }) => {
    await appendCommand(values ?? [], local, globals());
  });

program
  .command('read')
  .description('print events: offset, value, append time')
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

program.command('info').description('the log\'s id, next offset and storage').action(async () => infoCommand(globals()));

program
  .command('subscriptions')
  .description('open subscriptions: name, peer, next offset, lag, since')
  .action(async () => subscriptionsCommand(globals()));

program
  .command('health')
  .description('grpc.health.v1 status of the log and every known reducer, one line each; exit 3 unless all SERVING')
  .action(async () => healthCommand(globals()));


async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (error.exitCode === EXIT_USAGE) process.stderr.write(`${program.helpInformation()}`);
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
