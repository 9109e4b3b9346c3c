import type { Update } from '../cells/flusher';

/** The part of a node:http ServerResponse a page writer uses (a fake in unit tests). */
export interface SseSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** One SSE message carrying `update` as JSON. */
export function sseMessage(update: Update): string {
  return `event: update\ndata: ${JSON.stringify(update)}\n\n`;
}

/**
 * Writes updates to one page, never more than one message ahead of its socket.
 * While the socket has not drained, new updates are merged into one pending
 * update (the newest value per topic wins), so a page that reads slowly costs
 * the server at most one message in flight plus one value per topic, however
 * long it stalls, and gets the latest values when it reads again.
 */
export class PageWriter {
  private pending: Update | undefined;
  private waitingForDrain = false;
  private closed = false;

  constructor(private readonly sink: SseSink) {}

  /** Sends `update` now, or merges it into the pending one while the socket is full. */
  send(update: Update, serialized?: string): void {
    if (this.closed) return;
    if (this.waitingForDrain || this.pending) {
      this.pending = { ...this.pending, ...update };
      return;
    }
    this.write(serialized ?? sseMessage(update));
  }

  /** True while a write is waiting for the socket to drain. */
  get isBackedUp(): boolean {
    return this.waitingForDrain;
  }

  close(): void {
    this.closed = true;
    this.pending = undefined;
  }

  private write(chunk: string): void {
    if (this.sink.write(chunk)) return;
    this.waitingForDrain = true;
    this.sink.once('drain', () => {
      this.waitingForDrain = false;
      const pending = this.pending;
      this.pending = undefined;
      if (pending && !this.closed) this.write(sseMessage(pending));
    });
  }
}
