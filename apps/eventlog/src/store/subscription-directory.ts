/** One open Subscribe call as ListSubscriptions shows it, with the server that has it. */
export interface SharedSubscription {
  /** The server serving it (its listening address: the proto's `Subscription.gateway`). */
  readonly gateway: string;
  readonly subscriberName: string;
  readonly peer: string;
  /** The offset of the next event it will send. */
  readonly nextOffset: bigint;
  readonly since: Date;
}

/** This server's own open subscriptions (the SubscriptionRegistry), read each time they are listed or shared. */
export interface LocalSubscriptions {
  /** How this server is named in `SharedSubscription.gateway`. */
  readonly gateway: string;
  list(): readonly Omit<SharedSubscription, 'gateway'>[];
}

/** What ListSubscriptions lists. */
export interface SubscriptionDirectory {
  /**
   * The open subscriptions of every server of the log (this one's
   * included), oldest first. Throws StorageUnavailable when the other
   * servers' cannot be read.
   */
  list(): Promise<readonly SharedSubscription[]>;
}

/** A single-process backend: the directory is this server's own subscriptions. */
export function localSubscriptionDirectory(local: LocalSubscriptions): SubscriptionDirectory {
  return {
    list: async () => local.list().map((entry) => ({ gateway: local.gateway, ...entry })),
  };
}
