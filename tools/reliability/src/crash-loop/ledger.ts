/** An append the event log acknowledged, with the offsets it gave. */
export interface AckedAppend {
  readonly key: string;
  readonly values: readonly bigint[];
  readonly firstOffset: bigint;
  readonly nextOffset: bigint;
}

/** Why the suite cannot know whether an append was stored. */
export type UnknownReason = 'connection-lost' | 'retries-exhausted' | 'precondition-on-retry';

/**
 * An append whose outcome is unknown: an unkeyed append whose connection
 * broke, or a keyed one whose retries ran out. It may or may not be in the
 * log, at most once, and never counts as lost.
 */
export interface UnknownAppend {
  readonly key: string;
  readonly values: readonly bigint[];
  readonly reason: UnknownReason;
}

/**
 * What the clients of the crash loop did, append by append. The checks take
 * a snapshot of it before reading the log, so anything acknowledged by then
 * must be in what they read.
 */
export class Ledger {
  readonly acked: AckedAppend[] = [];
  readonly unknown: UnknownAppend[] = [];
  /** Appends refused with FAILED_PRECONDITION on their first attempt (expected_next_offset): never stored. */
  readonly rejected: { readonly key: string; readonly values: readonly bigint[] }[] = [];
  /** Replies with duplicate = true (a retry found its earlier attempt stored). */
  duplicateReplies = 0;
  retries = 0;
  /** Acknowledged appends answered by a gateway other than the writer's own. */
  failovers = 0;
  /** Acknowledged appends by the gateway that answered (index into the system's gateways). */
  readonly ackedByGateway: number[] = [];
  /** Failures no client should see (e.g. INVALID_ARGUMENT for a valid append). */
  readonly unexpectedErrors: string[] = [];

  snapshot(): { acked: readonly AckedAppend[]; unknown: readonly UnknownAppend[] } {
    return { acked: [...this.acked], unknown: [...this.unknown] };
  }

  ackedEvents(): number {
    return this.acked.reduce((total, append) => total + append.values.length, 0);
  }
}
