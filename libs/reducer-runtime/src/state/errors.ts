/**
 * The reducer runtime's domain errors. Each carries its facts;
 * `serving/error-mapping.ts` turns them into gRPC statuses at the server edge.
 */

/** A read-your-writes wait ended before the state reached `min_next_offset`. */
export class MinOffsetNotReached extends Error {
  override readonly name = 'MinOffsetNotReached';
  constructor(
    readonly minNextOffset: bigint,
    readonly nextOffset: bigint,
    readonly waitedMs: number,
  ) {
    super(`next offset ${nextOffset} did not reach min_next_offset ${minNextOffset} within ${waitedMs} ms`);
  }
}

/** `min_next_offset` is beyond the largest next offset any log can reach. */
export class MinOffsetUnreachable extends Error {
  override readonly name = 'MinOffsetUnreachable';
  constructor(
    readonly minNextOffset: bigint,
    readonly largestNextOffset: bigint,
  ) {
    super(`min_next_offset ${minNextOffset} is beyond the largest next offset a log can reach (2^53 = ${largestNextOffset})`);
  }
}

/** Too many read-your-writes waits are open at once. */
export class TooManyWaiters extends Error {
  override readonly name = 'TooManyWaiters';
  constructor(readonly limit: number) {
    super(`too many GetState calls waiting (limit ${limit})`);
  }
}

/** The caller went away while waiting. */
export class WaitCancelled extends Error {
  override readonly name = 'WaitCancelled';
  constructor() {
    super('call cancelled');
  }
}

/** The reducer is shutting down: no state will be served any more. */
export class ReducerClosed extends Error {
  override readonly name = 'ReducerClosed';
  constructor() {
    super('server shutting down');
  }
}
