import type { StateCodec } from '../reducer';

/**
 * A snapshot: the reducer's state after applying the events with offsets
 * 0 to `nextOffset - 1` of the log `logId`.
 */
export interface Snapshot<S = bigint> {
  readonly reducer: string;
  readonly value: S;
  readonly nextOffset: bigint;
  readonly logId: string;
}

export const SNAPSHOT_FORMAT = 1;

/** The snapshot file's JSON: offsets as decimal strings, the state as its codec's text (never rounded). */
interface SnapshotFile {
  readonly format: number;
  readonly reducer: string;
  readonly logId: string;
  readonly nextOffset: string;
  readonly value: string;
  readonly savedAt: string;
}

export class UnreadableSnapshotError extends Error {
  override readonly name = 'UnreadableSnapshotError';
}

export function encodeSnapshot<S>(snapshot: Snapshot<S>, savedAt: Date, codec: StateCodec<S>): string {
  const file: SnapshotFile = {
    format: SNAPSHOT_FORMAT,
    reducer: snapshot.reducer,
    logId: snapshot.logId,
    nextOffset: snapshot.nextOffset.toString(),
    value: codec.encode(snapshot.value),
    savedAt: savedAt.toISOString(),
  };
  return `${JSON.stringify(file)}\n`;
}

/** Parses a snapshot file; throws UnreadableSnapshotError saying what is wrong. */
export function decodeSnapshot<S>(text: string, expectedReducer: string, codec: StateCodec<S>): Snapshot<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw new UnreadableSnapshotError('not valid JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new UnreadableSnapshotError('not a JSON object');
  const file = parsed as Partial<Record<keyof SnapshotFile, unknown>>;
  if (file.format !== SNAPSHOT_FORMAT) throw new UnreadableSnapshotError(`unknown format ${String(file.format)}`);
  if (file.reducer !== expectedReducer) {
    throw new UnreadableSnapshotError(`belongs to reducer "${String(file.reducer)}", not "${expectedReducer}"`);
  }
  if (typeof file.logId !== 'string' || file.logId === '') throw new UnreadableSnapshotError('has no log id');
  if (typeof file.nextOffset !== 'string' || !/^\d+$/.test(file.nextOffset)) {
    throw new UnreadableSnapshotError('has no valid next offset');
  }
  if (typeof file.value !== 'string') throw new UnreadableSnapshotError('has no value');
  let value: S;
  try {
    value = codec.decode(file.value);
  } catch (error: unknown) {
    throw new UnreadableSnapshotError(`has a value its reducer cannot decode: ${(error as Error).message}`, { cause: error });
  }
  return { reducer: expectedReducer, logId: file.logId, nextOffset: BigInt(file.nextOffset), value };
}
