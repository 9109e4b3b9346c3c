import { callUnary } from '@hello-es/contracts';
import type { GlobalOptions } from './addresses';
import { AppendFailedError, appendLines, BadLineError, DEFAULT_BATCH, DEFAULT_IN_FLIGHT, type AppendLinesResult } from './append-lines';
import { CALL_TIMEOUT_MS, unavailableFrom, withLog } from './clients';
import type { AppendOptions } from './commands';
import { CliError, EXIT_USAGE, toCliError } from './errors';
import { readLines } from './line-reader';
import { printJson, printLine } from './output';
import { startProgress } from './progress';
import { openStreamAppends } from './stream-appends';

const appendedText = (result: AppendLinesResult): string =>
  result.events === 0 ? 'nothing was appended' : `${result.events} events were appended (offsets ${result.firstOffset}..${(result.nextOffset ?? 1n) - 1n})`;

/**
 * Streams stdin, one integer per line, into batched Appends of
 * {@link DEFAULT_BATCH} with `--in-flight` outstanding; a progress counter on
 * a terminal; events/s at the end.
 */
export async function appendStdin(local: AppendOptions, options: GlobalOptions): Promise<void> {
  if (local.expectNextOffset !== undefined || local.key !== undefined) {
    throw new CliError('--stdin cannot be combined with --key or --expect-next-offset', EXIT_USAGE);
  }
  if (process.stdin.isTTY) process.stderr.write('reading one integer per line from the terminal; Ctrl-D ends the input\n');
  await withLog(options, async (client, address) => {
    const started = process.hrtime.bigint();
    const inFlight = local.inFlight ?? DEFAULT_IN_FLIGHT;
    const appends = openStreamAppends(client, CALL_TIMEOUT_MS, inFlight);
    const progress = startProgress(options, 'events');
    let result: AppendLinesResult;
    try {
      result = await appendLines(readLines(process.stdin), (values) => appends.append(values), {
        batch: DEFAULT_BATCH,
        inFlight,
        onProgress: (events) => progress.update(events),
      });
    } catch (error) {
      if (error instanceof BadLineError) {
        throw new CliError(`stdin line ${error.lineNumber}: ${error.reason}; ${appendedText(error.appended)}, nothing from line ${error.lineNumber} on`, EXIT_USAGE, {
          showUsage: false,
        });
      }
      if (error instanceof AppendFailedError) {
        const cause = toCliError(error.cause, address, unavailableFrom(client));
        throw new CliError(`${cause.message}; ${appendedText(error.appended)} before the failure`, cause.exitCode);
      }
      throw error;
    } finally {
      progress.stop();
      await appends.close();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = seconds > 0 ? Math.round(result.events / seconds) : result.events;
    // Empty input: report where the log is.
    const next = result.nextOffset ?? (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS })).nextOffset;
    if (options.json) printJson({ events: result.events, firstOffset: result.firstOffset ?? next, nextOffset: next, eventsPerSecond: rate });
    else printLine(`appended ${result.events} events, next offset ${next}, ${rate} events/s`);
  });
}
