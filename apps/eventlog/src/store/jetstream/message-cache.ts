import type { AppendMessage } from './append-message';

/**
 * Recently read stream messages by sequence, shared by every subscription of
 * a gateway, so live subscribers at the head cost one fetch per message, not
 * one per subscriber. Bounded by values held and by messages held (least
 * recently used evicted): single-value appends, which the gateway puts here
 * as it stores them, cost far more per value in objects than in bytes.
 * Also answers "which message starts at offset X" for the messages it holds,
 * so a reader going forward does not binary-search at every step.
 */
export class MessageCache {
  private readonly bySeq = new Map<number, AppendMessage>();
  /** Offset just past a cached message → that message's sequence. */
  private readonly byEnd = new Map<bigint, number>();
  private values = 0;

  constructor(
    // 8 MiB of values: at 2 M events/s a quarter of this was gone in a tenth of a second, and live subscribers fell back to reading the stream (docs/jetstream.md).
    readonly maxValues: number = 1_048_576,
    readonly maxMessages: number = 8_192,
  ) {}

  get(seq: number): AppendMessage | undefined {
    const message = this.bySeq.get(seq);
    if (message) {
      this.bySeq.delete(seq);
      this.bySeq.set(seq, message);
    }
    return message;
  }

  /** Whether `seq` is cached (without making it the most recently used). */
  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  /** The sequence of the message that starts at `offset`, if the message before it is cached. */
  seqStartingAt(offset: bigint): number | undefined {
    const before = this.byEnd.get(offset);
    return before === undefined ? undefined : before + 1;
  }

  put(message: AppendMessage): void {
    if (this.bySeq.has(message.seq)) return;
    this.bySeq.set(message.seq, message);
    this.byEnd.set(message.firstOffset + BigInt(message.count), message.seq);
    this.values += message.count;
    while ((this.values > this.maxValues || this.bySeq.size > this.maxMessages) && this.bySeq.size > 1) {
      const oldest = this.bySeq.values().next().value as AppendMessage;
      this.bySeq.delete(oldest.seq);
      this.byEnd.delete(oldest.firstOffset + BigInt(oldest.count));
      this.values -= oldest.count;
    }
  }
}
