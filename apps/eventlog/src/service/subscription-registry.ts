/** One open Subscribe call, as ListSubscriptions shows it. */
export interface SubscriptionEntry {
  readonly subscriberName: string;
  readonly peer: string;
  readonly since: Date;
  /** The offset of the next event this subscription will send. */
  nextOffset: bigint;
}

/**
 * The open subscriptions, oldest first. Each Subscribe call adds itself when
 * it starts and removes itself in a `finally`, so ended or cancelled streams
 * leave no ghosts.
 */
export class SubscriptionRegistry {
  private readonly entries = new Set<SubscriptionEntry>();

  add(subscriberName: string, peer: string, nextOffset: bigint, since: Date = new Date()): SubscriptionEntry {
    const entry: SubscriptionEntry = { subscriberName, peer, since, nextOffset };
    this.entries.add(entry);
    return entry;
  }

  remove(entry: SubscriptionEntry): void {
    this.entries.delete(entry);
  }

  list(): readonly SubscriptionEntry[] {
    return [...this.entries];
  }

  get size(): number {
    return this.entries.size;
  }
}
