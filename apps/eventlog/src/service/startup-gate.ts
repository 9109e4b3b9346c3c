import { status } from '@grpc/grpc-js';
import { StatusError, type ServerInterceptor } from '@hello-es/grpc-server';

/**
 * Holds calls that arrive between the port being bound and the log being
 * recovered. The event log binds its port first so that a second event log
 * on a port already in use exits before it reads or changes a file of the
 * data directory (issue 10: it used to run recovery, and could truncate
 * what it took for a torn tail while the first one was writing). A call made
 * in that window waits until the log is open (its own deadline bounds the
 * wait); if the start fails it ends with UNAVAILABLE.
 */
export class StartupGate implements ServerInterceptor {
  readonly name = 'startup-gate';
  private isOpen = false;
  private failure: StatusError | undefined;
  private readonly waiting = new Set<() => void>();

  /** The log is open: let every held and later call through. */
  open(): void {
    this.isOpen = true;
    this.wakeAll();
  }

  /** The start failed: end every held and later call with UNAVAILABLE. */
  fail(): void {
    this.failure = new StatusError(status.UNAVAILABLE, 'the event log did not start; retry against a running one');
    this.wakeAll();
  }

  async intercept(call: Parameters<ServerInterceptor['intercept']>[0], next: () => Promise<void>): Promise<void> {
    if (!this.isOpen && !this.failure) await this.waitForStart(call.signal);
    if (this.failure) throw this.failure;
    // Woken by the call's own end (cancelled, deadline) before the log opened.
    if (!this.isOpen) throw new StatusError(status.CANCELLED, 'the call ended while the event log was starting');
    return next();
  }

  private waitForStart(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.waiting.delete(done);
        resolve();
      };
      if (signal.aborted) return resolve();
      this.waiting.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }
}
