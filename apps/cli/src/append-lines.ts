import type { AppendResponse } from '@hello-es/contracts';
import { parseInt64 } from './int64';

/** Values per Append (the server accepts up to 10,000). */
export const DEFAULT_BATCH = 1_000;
/** Appends in flight at once. */
export const DEFAULT_IN_FLIGHT = 8;
export const MAX_IN_FLIGHT = 64;

export interface AppendLinesOptions {
  readonly batch: number;
  readonly inFlight: number;
  /** Called after each acknowledged Append with the events acknowledged so far. */
  readonly onProgress?: (appended: number) => void;
}

export interface AppendLinesResult {
  readonly events: number;
  /** Lowest first offset and highest next offset of the acknowledged Appends (undefined: nothing appended). */
  readonly firstOffset?: bigint;
  readonly nextOffset?: bigint;
}

/** A line of the input that is not a signed 64-bit integer; every line before it was appended, none from it on. */
export class BadLineError extends Error {
  override readonly name = 'BadLineError';
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
    readonly appended: AppendLinesResult,
  ) {
    super(`line ${lineNumber}: ${reason}`);
  }
}

/** An Append failed; `appended` is what was acknowledged before the failure (the error is the `cause`). */
export class AppendFailedError extends Error {
  override readonly name = 'AppendFailedError';
  constructor(
    readonly appended: AppendLinesResult,
    options: { cause: unknown },
  ) {
    super('an append failed', options);
  }
}

/**
 * Appends one integer per line (blank lines skipped) in batches of
 * `options.batch` values, with at most `options.inFlight` Appends
 * outstanding; lines are read only as fast as appends are acknowledged.
 *
 * Each batch stays together and in order. Whether batches land in the order
 * read is `append`'s: over one AppendStream they do; as concurrent unary
 * Appends they may not. On a bad line
 * the values before it are appended (the partial batch too) and nothing after;
 * then BadLineError. On a failed Append no further batch is sent, the ones in
 * flight are awaited, then AppendFailedError.
 */
export async function appendLines(
  lines: AsyncIterable<string>,
  append: (values: bigint[]) => Promise<AppendResponse>,
  options: AppendLinesOptions,
): Promise<AppendLinesResult> {
  const outstanding = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let events = 0;
  let firstOffset: bigint | undefined;
  let nextOffset: bigint | undefined;
  const result = (): AppendLinesResult => ({ events, firstOffset, nextOffset });

  const send = async (values: bigint[]): Promise<void> => {
    // After a failure nothing more is sent (the input is left where it stopped).
    if (failure) return;
    const call = append(values).then(
      (reply) => {
        events += values.length;
        if (firstOffset === undefined || reply.firstOffset < firstOffset) firstOffset = reply.firstOffset;
        if (nextOffset === undefined || reply.nextOffset > nextOffset) nextOffset = reply.nextOffset;
        options.onProgress?.(events);
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    outstanding.add(call);
    void call.finally(() => outstanding.delete(call));
    while (outstanding.size >= options.inFlight) await Promise.race(outstanding);
  };
  const drain = async (): Promise<void> => {
    await Promise.all(outstanding);
    if (failure) throw new AppendFailedError(result(), { cause: failure.error });
  };

  let batch: bigint[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: bigint;
    try {
      value = parseInt64(line);
    } catch (error) {
      if (batch.length > 0 && !failure) await send(batch);
      await drain();
      // A garbage "line" (a binary file) is not echoed whole.
      const reason = line.length > 40 ? `"${line.slice(0, 40)}…" is not an integer` : (error as Error).message;
      throw new BadLineError(lineNumber, reason, result());
    }
    batch.push(value);
    if (batch.length >= options.batch) {
      await send(batch);
      batch = [];
      if (failure) break;
    }
  }
  if (batch.length > 0) await send(batch);
  await drain();
  return result();
}
