/**
 * What a LogStore tells whoever watches it (the metrics, in main.ts), as
 * plain calls: the store imports no metrics library and stays testable with
 * a recording observer. Calls are synchronous and must be cheap; they happen
 * on the append path (once per group commit, not per event).
 */
export interface LogStoreObserver {
  /** A group of `appends` appends holding `events` events is durable (a memory store commits each append alone). */
  groupCommitted(appends: number, events: number): void;
  /** An append was answered from the dedupe window: a retry, nothing written. */
  duplicate(): void;
  /** One durable write of `file` (O_DSYNC write, or write + fdatasync) took `seconds`. */
  synced(file: 'events' | 'keys', seconds: number): void;
  /** A group of `appends` appends failed in storage (each got StorageFailure). */
  storageFailed(appends: number): void;
}

/** The observer of a store nobody watches. */
export const NO_OBSERVER: LogStoreObserver = {
  groupCommitted: () => undefined,
  duplicate: () => undefined,
  synced: () => undefined,
  storageFailed: () => undefined,
};
