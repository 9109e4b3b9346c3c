import type { AppendMessage } from './append-message';

/**
 * Where a message came from, which decides whose room it takes:
 * - `tail`: stored by this gateway, or read as the stream's last message by
 *   the head follower: what live subscribers read next, however far they lag;
 * - `history`: fetched for a reader below the tail (catch-up, read-ahead).
 */
export type CacheTier = 'tail' | 'history';

export interface MessageCacheLimits {
  /** Values held for the tail (default 2 Mi, 16 MiB). */
  readonly tailValues?: number;
  /** Values held for history (default 1 Mi, 8 MiB). */
  readonly historyValues?: number;
  /** Messages held per tier (default 8,192). */
  readonly maxMessages?: number;
}

/**
 * Recently read stream messages by sequence, shared by every subscription of
 * a gateway, so live subscribers at the head cost one fetch per message, not
 * one per subscriber. Each tier is bounded by values held and by messages
 * held (least recently used evicted first): single-value appends, which the
 * gateway puts here as it stores them, cost far more per value in objects
 * than in bytes.
 *
 * Two tiers, so that a reader catching up from far back cannot evict what
 * the live subscribers are about to read, and the live tail cannot evict a
 * catch-up reader's read-ahead. With one LRU of 1 Mi values, live reducers
 * lagging a few hundred milliseconds behind appends at 3-4 M events/s lost
 * the messages they needed next, fell back to one message get each, and
 * fell further behind (docs/jetstream.md); a larger single LRU would fill
 * with history during a long catch-up and grow the gateway's memory with
 * every reader.
 *
 * Also answers "which message starts at offset X" for the messages it holds,
 * so a reader going forward does not binary-search at every step.
 */
export class MessageCache {
  private readonly tiers: Record<CacheTier, LruTier>;
  /** Offset just past a cached message → that message's sequence. */
  private readonly byEnd = new Map<bigint, number>();
  /** Offset where a read ended → the sequence of the message holding it (oldest forgotten first). */
  private readonly readEnds = new Map<bigint, number>();

  constructor(limits: MessageCacheLimits = {}) {
    const maxMessages = limits.maxMessages ?? 8_192;
    const forget = (message: AppendMessage): void => {
      this.byEnd.delete(message.firstOffset + BigInt(message.count));
    };
    this.tiers = {
      tail: new LruTier(limits.tailValues ?? 2_097_152, maxMessages, forget),
      history: new LruTier(limits.historyValues ?? 1_048_576, maxMessages, forget),
    };
  }

  /** The most values a reader may fetch ahead into history without evicting its own window. */
  get historyValues(): number {
    return this.tiers.history.maxValues;
  }

  get(seq: number): AppendMessage | undefined {
    return this.tiers.tail.get(seq) ?? this.tiers.history.get(seq);
  }

  /** Whether `seq` is cached (without making it the most recently used). */
  has(seq: number): boolean {
    return this.tiers.tail.has(seq) || this.tiers.history.has(seq);
  }

  /**
   * The sequence of the message holding `offset`, if known without a read:
   * the message before it is cached and ends there, or a read ended there.
   * It may not be stored yet (an offset at the head): the caller checks the
   * sequence against the last one. Offsets and sequences never change
   * below the head, so what is known stays true.
   */
  seqHolding(offset: bigint): number | undefined {
    const before = this.byEnd.get(offset);
    return before === undefined ? this.readEnds.get(offset) : before + 1;
  }

  /**
   * Records that a read ended at `offset`, inside the message with sequence
   * `seq` or just before it: the next read of that reader starts there.
   * Reads end inside messages whenever batches and messages differ in size
   * (W1b: 4,096-event batches, groups of about 8,000 values), and the
   * message they end in may be gone from the cache by the next read; without
   * this each such read was a binary search over the stream, a dozen
   * sequential message gets.
   */
  readEndedAt(offset: bigint, seq: number): void {
    if (this.readEnds.has(offset)) return;
    this.readEnds.set(offset, seq);
    if (this.readEnds.size > MAX_READ_ENDS) this.readEnds.delete(this.readEnds.keys().next().value as bigint);
  }

  /** Caches `message` in `tier`, unless it is cached already (in either). */
  put(message: AppendMessage, tier: CacheTier): void {
    if (this.has(message.seq)) return;
    this.byEnd.set(message.firstOffset + BigInt(message.count), message.seq);
    this.tiers[tier].put(message);
  }
}

/** Read ends remembered: far more than a gateway's readers at distinct positions at once. */
const MAX_READ_ENDS = 1_024;

/** One least-recently-used tier: a Map in use order, bounded by values and messages, always holding the newest. */
class LruTier {
  private readonly bySeq = new Map<number, AppendMessage>();
  private values = 0;

  constructor(
    readonly maxValues: number,
    private readonly maxMessages: number,
    private readonly evicted: (message: AppendMessage) => void,
  ) {}

  get(seq: number): AppendMessage | undefined {
    const message = this.bySeq.get(seq);
    if (message) {
      this.bySeq.delete(seq);
      this.bySeq.set(seq, message);
    }
    return message;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  put(message: AppendMessage): void {
    this.bySeq.set(message.seq, message);
    this.values += message.count;
    while ((this.values > this.maxValues || this.bySeq.size > this.maxMessages) && this.bySeq.size > 1) {
      const oldest = this.bySeq.values().next().value as AppendMessage;
      this.bySeq.delete(oldest.seq);
      this.values -= oldest.count;
      this.evicted(oldest);
    }
  }
}
