import type { EventBatch } from './event-batch';
import type { LocalSubscriptions, SubscriptionDirectory } from './subscription-directory';

/** Int64 values: a plain list, or a column as the Append decoder produces (no bigint per value). */
export type Int64Values = readonly bigint[] | BigInt64Array;

/**
 * The most values one append may carry; every backend must accept appends
 * this large (the file store writes a whole append in one group).
 */
export const MAX_APPEND_VALUES_LIMIT = 65_536;

/** One append as the store sees it (already validated at the edge). */
export interface AppendCommand {
  readonly values: Int64Values;
  /** Append only if the head equals this offset. */
  readonly expectedNextOffset?: bigint | undefined;
  /** Non-empty: deduplicate retries within the dedupe window. */
  readonly idempotencyKey?: string | undefined;
}

export interface AppendResult {
  readonly firstOffset: bigint;
  readonly nextOffset: bigint;
  readonly duplicate: boolean;
}

/**
 * The event log's storage. Offsets are 0-based and dense; `nextOffset()` is
 * the head (the number of durable events). Backends: `store/file/` (default),
 * `store/memory/`, `store/jetstream/` (gateways over a NATS stream); a new backend is one more folder under `store/` plus one
 * case in `storage-config.ts` and `open-log-store.ts`.
 *
 * What every backend must guarantee:
 * - An acknowledged append is durable (for the file store: fdatasync'ed; for
 *   jetstream: acknowledged by the stream, by a quorum on R3), is
 *   never lost, reordered or renumbered, and is visible to `read` at once.
 * - An append is all or nothing; a rejected one leaves nothing visible.
 * - Offsets are dense: the head only grows, by exactly the values appended.
 * - A retry with the same idempotency key and values within the dedupe
 *   window answers the first result with `duplicate: true`.
 *
 * What the service assumes (the handlers in `service/` rely on these):
 * - `nextOffset()` is synchronous and cheap: it is called on every Subscribe
 *   step and GetLogInfo. A backend keeps the head in memory.
 * - `waitForHeadBeyond` resolves once the head passes the offset, whoever
 *   appended. The file and memory stores are the only writers of their log,
 *   so waking waiters on their own appends is enough. A replicated backend
 *   (for example JetStream) has other writers: it must follow the shared log,
 *   advance its in-memory head on appends made anywhere and wake waiters then.
 */
export interface LogStore {
  /** Random id created with the log. */
  readonly logId: string;
  /** Backend name reported by GetLogInfo ("file", "memory", "jetstream"). */
  readonly storage: string;
  /**
   * Copies of each acknowledged event the storage keeps, reported by
   * GetLogInfo: 1 for one disk, the stream's replicas for JetStream; omitted
   * (reported as 0) when nothing outlives the process.
   */
  readonly replicas?: number;
  /** The head: events with offsets below it are durable and readable. */
  nextOffset(): bigint;
  /**
   * Appends atomically once durable. Rejects with ExpectedOffsetMismatch,
   * IdempotencyKeyConflict, StorageFailure or StoreClosed; nothing of a
   * rejected append is ever visible.
   */
  append(command: AppendCommand): Promise<AppendResult>;
  /** Up to `maxCount` events from `fromOffset` (fewer at the head). */
  read(fromOffset: bigint, maxCount: number): Promise<EventBatch>;
  /**
   * Resolves once the head is beyond `offset`, or when `signal` aborts
   * (check the head again afterwards). Every waiter shares one notification.
   */
  waitForHeadBeyond(offset: bigint, signal: AbortSignal): Promise<void>;
  /**
   * Optional: calls `listener` when the store can or cannot reach its
   * storage (a replicated backend losing its leader). The server reports
   * grpc.health.v1 NOT_SERVING meanwhile. Local backends omit it.
   */
  onHealth?(listener: (serving: boolean) => void): void;
  /**
   * Optional, for a backend that many servers share (JetStream gateways):
   * publishes this server's open subscriptions for the others and returns
   * the directory ListSubscriptions reads, with every server's. Sharing
   * stops on close(). Backends without it list only `local`.
   */
  shareSubscriptions?(local: LocalSubscriptions): SubscriptionDirectory;
  /** Lets queued appends finish, flushes and closes; later appends get StoreClosed. */
  close(): Promise<void>;
}
