import { status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { applyBatch } from '../state/apply-batch';
import { Backoff, delay } from './backoff';
import type { ReducerDefinition } from '../reducer';
import type { FollowerObserver } from '../metrics/reducer-metrics';
import type { ReducerState } from '../state/reducer-state';
import type { SnapshotScheduler } from '../snapshots/snapshot-scheduler';
import type { SnapshotStore } from '../snapshots/snapshot-store';
import type { SubscriptionMessage } from './subscribe-decoder';
import type { SubscriptionClient } from './subscription-client';

export interface FollowerOptions<S = bigint> {
  readonly reducer: ReducerDefinition<S>;
  readonly state: ReducerState<S>;
  readonly client: SubscriptionClient;
  readonly snapshots: SnapshotStore<S>;
  readonly scheduler: SnapshotScheduler<S>;
  readonly backoff: Backoff;
  readonly logger: Logger;
  /** EVENTLOG_URL as configured, for the log lines that say where the follower connects. */
  readonly eventLogAddress: string;
  /** Health: true once caught up after a (re)connect, false when the subscription is lost. */
  readonly setServing: (serving: boolean) => void;
  /** Told of connects, catch-ups, applied batches and resubscribes (the metrics). */
  readonly observer?: FollowerObserver;
}

/** Why one Subscribe call ended. */
type SessionEnd =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly error: ServiceError }
  | { readonly kind: 'ended' }
  | { readonly kind: 'gap' }
  | { readonly kind: 'rebuild'; readonly reason: string; readonly logId: string };

/**
 * Follows the event log: subscribes from the state's next offset, applies
 * each event exactly once, and resubscribes after any failure with capped
 * exponential backoff and jitter, forever (until stop()). A different log id
 * or a position beyond the head sets the snapshot aside and rebuilds from 0.
 */
export class Follower<S = bigint> {
  private readonly stopping = new AbortController();
  private cancelSession: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private appliedEvents = 0;
  private caughtUp = false;
  private connected = false;
  /** appliedEvents when the current subscription started: "caught up" says what this catch-up applied. */
  private appliedBeforeSession = 0;

  constructor(private readonly options: FollowerOptions<S>) {}

  /** Events applied since this process started (replay and live). */
  get applied(): number {
    return this.appliedEvents;
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Cancels the subscription and stops reconnecting; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.cancelSession?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const { backoff, observer } = this.options;
    let sessions = 0;
    while (!this.stopping.signal.aborted) {
      const fromOffset = this.options.state.view.nextOffset;
      if (sessions > 0) observer?.resubscribing();
      sessions += 1;
      const end = await this.session(fromOffset);
      const wasConnected = this.connected;
      this.connected = false;
      this.caughtUp = false;
      observer?.connected(false);
      observer?.caughtUp(false);
      if (end.kind === 'stopped' || this.stopping.signal.aborted) break;
      this.options.setServing(false);
      if (end.kind === 'rebuild') {
        await this.rebuild(end.reason, end.logId);
        continue;
      }
      // OUT_OF_RANGE comes before `started`: our position is beyond the head.
      // (From 0 it cannot be; such a log gets the backoff, not a hot loop.)
      if (end.kind === 'failed' && end.error.code === status.OUT_OF_RANGE && fromOffset > 0n) {
        await this.rebuild(`the log's head is below our next offset (${end.error.details})`, '');
        continue;
      }
      const waitMs = backoff.nextDelayMs();
      this.logFailure(end, wasConnected, waitMs);
      await delay(waitMs, this.stopping.signal);
    }
  }

  /**
   * Says why a subscription ended, once per transition, not once per retry.
   * The first failed connect is info, not a warning: at a normal start the
   * reducers start before the log. If the log stays away the warning comes at
   * attempt 8 (about 10 s with the default backoff) and at 16, 32, ….
   * UNIMPLEMENTED means something other than an event log answered at
   * EVENTLOG_URL: a configuration error, said at error level.
   */
  private logFailure(end: SessionEnd, wasConnected: boolean, retryInMs: number): void {
    const { logger, backoff, eventLogAddress } = this.options;
    const attempts = backoff.attempts;
    const cause = end.kind === 'failed' ? { code: end.error.code, details: end.error.details } : { reason: end.kind };
    const now = { ...cause, eventLogUrl: eventLogAddress, attempts, retryInMs };
    if (end.kind === 'failed' && end.error.code === status.UNIMPLEMENTED) {
      if (attempts === 1 || isPowerOfTwo(attempts)) {
        logger.error(
          { ...now, variable: 'EVENTLOG_URL' },
          `EVENTLOG_URL ${eventLogAddress} is not an event log: the server there answered UNIMPLEMENTED to ` +
            'eventlog.v1.EventLogService/Subscribe (another service\'s port?); fix EVENTLOG_URL; retrying',
        );
      }
    } else if (wasConnected) {
      logger.warn(now, 'event log subscription lost; reconnecting');
    } else if (attempts === 1) {
      logger.info(now, `waiting for the event log at ${eventLogAddress}`);
    } else if (attempts >= 8 && isPowerOfTwo(attempts)) {
      logger.warn(now, 'event log unavailable; retrying');
    }
  }

  private session(fromOffset: bigint): Promise<SessionEnd> {
    this.appliedBeforeSession = this.appliedEvents;
    return new Promise<SessionEnd>((resolve) => {
      // values_only: a reducer folds values; append times and per-event framing would be most of the bytes.
      const call = this.options.client.subscribe({ fromOffset, subscriberName: this.options.reducer.name, valuesOnly: true });
      let finished = false;
      const finish = (end: SessionEnd): void => {
        if (finished) return;
        finished = true;
        this.cancelSession = undefined;
        call.cancel();
        resolve(end);
      };
      this.cancelSession = () => finish({ kind: 'stopped' });
      call.on('data', (message: SubscriptionMessage) => {
        if (finished) return;
        const end = this.handle(message, fromOffset);
        if (end) finish(end);
      });
      call.on('error', (error: ServiceError) => finish({ kind: 'failed', error }));
      call.on('end', () => finish({ kind: 'ended' }));
    });
  }

  /** Handles one message; returns why the session must end, if it must. */
  private handle(message: SubscriptionMessage, fromOffset: bigint): SessionEnd | undefined {
    const { state, logger } = this.options;
    switch (message.kind) {
      case 'started': {
        const view = state.view;
        if (view.logId !== '' && view.logId !== message.logId) {
          return { kind: 'rebuild', reason: `the log id changed from ${view.logId} to ${message.logId}`, logId: message.logId };
        }
        if (view.logId === '' && view.nextOffset !== 0n) {
          return { kind: 'rebuild', reason: 'the state has no log id', logId: message.logId };
        }
        if (view.logId === '') state.set({ ...view, logId: message.logId });
        this.connected = true;
        this.options.observer?.connected(true);
        this.options.observer?.headSeen(message.nextOffset, true);
        logger.info(
          {
            eventLogUrl: this.options.eventLogAddress,
            logId: message.logId,
            fromOffset: fromOffset.toString(),
            head: message.nextOffset.toString(),
            attempts: this.options.backoff.attempts,
          },
          'connected to the event log',
        );
        return undefined;
      }
      case 'events': {
        if (message.values.length === 0) return undefined;
        const observer = this.options.observer;
        const started = observer ? performance.now() : 0;
        const outcome = applyBatch(this.options.reducer, state.view, message.firstOffset, message.values, message.contiguous);
        if (outcome.applied > 0) {
          if (observer) {
            observer.applied(outcome.applied, (performance.now() - started) / 1000);
            observer.headSeen(outcome.state.nextOffset);
          }
          this.appliedEvents += outcome.applied;
          state.set(outcome.state);
          this.options.scheduler.maybeSave(outcome.state);
        }
        if (outcome.kind === 'gap') {
          logger.error(
            { expected: outcome.expected.toString(), got: outcome.got.toString() },
            'gap in the event stream; resubscribing from the next offset',
          );
          return { kind: 'gap' };
        }
        return undefined;
      }
      case 'caughtUp': {
        this.caughtUp = true;
        this.options.observer?.headSeen(message.nextOffset);
        this.options.observer?.caughtUp(true);
        this.options.backoff.reset();
        this.options.setServing(true);
        const nextOffset = state.view.nextOffset.toString();
        const applied = this.appliedEvents - this.appliedBeforeSession;
        logger.info(
          { nextOffset, applied, appliedSinceStart: this.appliedEvents },
          `caught up at offset ${nextOffset} (${applied} events applied in this catch-up)`,
        );
        this.options.scheduler.maybeSave(state.view, true);
        return undefined;
      }
      case 'empty':
        return undefined;
    }
  }

  private async rebuild(reason: string, logId: string): Promise<void> {
    const { snapshots, state, scheduler, reducer, logger } = this.options;
    logger.warn({ reason }, 'setting the snapshot aside and rebuilding from offset 0');
    state.set({ value: reducer.initial, nextOffset: 0n, logId });
    scheduler.reset();
    try {
      const setAsideAs = await snapshots.setAside();
      if (setAsideAs) logger.warn({ file: setAsideAs }, 'snapshot set aside');
    } catch (error: unknown) {
      logger.error({ err: error, file: snapshots.file }, 'could not set the snapshot aside');
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
