import { Metadata, status, type StatusObject } from '@grpc/grpc-js';

/** Ends one open stream with a status. */
export type StreamTerminator = (reason: StatusObject) => void;

/**
 * The server's open infinite streams (Subscribe, WatchState). Shutdown ends
 * them with UNAVAILABLE first; an open stream would otherwise keep
 * `tryShutdown` waiting forever.
 */
export class OpenStreams {
  private readonly terminators = new Set<StreamTerminator>();
  private closing = false;

  /** Registers a stream; returns the function that unregisters it. */
  add(terminate: StreamTerminator): () => void {
    if (this.closing) {
      terminate(shuttingDownStatus());
      return () => undefined;
    }
    this.terminators.add(terminate);
    return () => this.terminators.delete(terminate);
  }

  get size(): number {
    return this.terminators.size;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Ends every open stream with UNAVAILABLE "server shutting down". */
  endAll(): void {
    this.closing = true;
    for (const terminate of [...this.terminators]) terminate(shuttingDownStatus());
    this.terminators.clear();
  }
}

export function shuttingDownStatus(): StatusObject {
  return { code: status.UNAVAILABLE, details: 'server shutting down', metadata: new Metadata() };
}
