/**
 * The event log's domain errors. Each carries its facts; `error-mapping.ts`
 * turns them into gRPC statuses at the server edge.
 */

/** `expected_next_offset` did not match the head; nothing was appended. */
export class ExpectedOffsetMismatch extends Error {
  override readonly name = 'ExpectedOffsetMismatch';
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(`expected next offset ${expected} but the head is ${actual}`);
  }
}

/** An idempotency key was reused with different values. */
export class IdempotencyKeyConflict extends Error {
  override readonly name = 'IdempotencyKeyConflict';
  constructor(readonly key: string) {
    super(`idempotency key "${key}" was already used for an append with different values`);
  }
}

/** A read or subscription started beyond the head. */
export class OffsetOutOfRange extends Error {
  override readonly name = 'OffsetOutOfRange';
  constructor(
    readonly offset: bigint,
    readonly nextOffset: bigint,
  ) {
    super(`offset ${offset} is beyond the head ${nextOffset}`);
  }
}

/** The storage failed (disk full, I/O error); nothing of the append is visible. */
export class StorageFailure extends Error {
  override readonly name = 'StorageFailure';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/**
 * A replicated store cannot reach its storage (no stream leader, NATS
 * unreachable) within its deadline. Unlike StorageFailure, an append that
 * gets this may or may not be stored: only a retry with its key can tell.
 */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/**
 * More appends are waiting for a gateway's publishes than it may queue
 * (NATS_APPENDS_WAITING): this one was refused before anything was sent,
 * so a retry after a backoff is always safe.
 */
export class AppendQueueFull extends Error {
  override readonly name = 'AppendQueueFull';
  constructor(readonly limit: number) {
    super(`too many appends waiting for this gateway's publishes (the limit is ${limit}, NATS_APPENDS_WAITING); nothing was stored: retry after a backoff`);
  }
}

/** The store is closing or closed. */
export class StoreClosed extends Error {
  override readonly name = 'StoreClosed';
  constructor() {
    super('server shutting down');
  }
}

/** Stored data failed its checksum or framing: the log refuses to serve it. */
export class CorruptLog extends Error {
  override readonly name = 'CorruptLog';
  constructor(
    readonly file: string,
    readonly offset: bigint,
    readonly problem: string,
  ) {
    super(`corrupt event log ${file} at offset ${offset}: ${problem}`);
  }
}

export function isExpectedOffsetMismatch(error: unknown): error is ExpectedOffsetMismatch {
  return error instanceof ExpectedOffsetMismatch;
}
export function isIdempotencyKeyConflict(error: unknown): error is IdempotencyKeyConflict {
  return error instanceof IdempotencyKeyConflict;
}
export function isOffsetOutOfRange(error: unknown): error is OffsetOutOfRange {
  return error instanceof OffsetOutOfRange;
}
export function isStorageFailure(error: unknown): error is StorageFailure {
  return error instanceof StorageFailure;
}

/** The message of an unknown thrown value, for wrapping it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
