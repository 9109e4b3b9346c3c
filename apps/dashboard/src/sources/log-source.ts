import { callUnary, type EventLogServiceClient } from '@hello-es/contracts';
import type { SubscriptionClient, SubscriptionMessage } from '@hello-es/reducer-runtime';
import { LatestCell } from '../cells/latest-cell';
import { grpcErrorForPage } from '../grpc-error';
import type { LogView, RateView, RecentEventsView, SubscriptionsView } from '../view-model';
import { RateSampler } from './rate-sampler';
import { readEvents } from './read-events';
import { runStreamLoop } from './stream-loop';

/** The subscriber name the log lists the dashboard under. */
export const DASHBOARD_SUBSCRIBER = 'dashboard';
/** Events shown in "last events". */
export const RECENT_COUNT = 10;
export const POLL_INTERVAL_MS = 1_000;
export const TAIL_INTERVAL_MS = 250;
const CALL_TIMEOUT_MS = 2_000;

export interface LogCells {
  readonly log: LatestCell<LogView>;
  readonly rate: LatestCell<RateView>;
  readonly recent: LatestCell<RecentEventsView>;
  readonly subscriptions: LatestCell<SubscriptionsView>;
}

export interface LogSource {
  readonly cells: LogCells;
  /** The head as last seen on the live stream, undefined while it is down. */
  head(): bigint | undefined;
  stop(): Promise<void>;
}

/**
 * Follows the log: one Subscribe from the head (lean decoder: only offsets
 * matter here) keeps the head live; GetLogInfo and ListSubscriptions are polled
 * every second; the last events (with their append time) are read with one
 * small Read whenever the head has moved, at most 4 times a second.
 */
export function startLogSource(
  address: string,
  unary: EventLogServiceClient,
  subscriptions: SubscriptionClient,
  clock: () => number = Date.now,
): LogSource {
  const cells: LogCells = {
    log: new LatestCell<LogView>('log', { connected: false, address, logId: '', head: '', storage: '', replicas: 0, error: 'connecting', since: clock() }),
    rate: new LatestCell<RateView>('rate', { lastSecond: 0, perSecond: [] }),
    recent: new LatestCell<RecentEventsView>('recent', { events: [] }),
    subscriptions: new LatestCell<SubscriptionsView>('subscriptions', { ok: false, error: 'connecting', rows: [], updatedAt: 0 }),
  };
  let head: bigint | undefined;
  const setHead = (next: bigint, logId?: string): void => {
    head = next;
    const view = cells.log.value;
    cells.log.set({ ...view, head: next.toString(), logId: logId ?? view.logId, connected: true, error: '', since: view.connected ? view.since : clock() });
  };

  const stream = runStreamLoop<SubscriptionMessage>({
    open: async () => {
      // Subscribe from the head: the dashboard wants what happens from now on, never the history.
      const info = await callUnary(unary.getLogInfo.bind(unary), {}, { timeoutMs: CALL_TIMEOUT_MS });
      return subscriptions.subscribe({ fromOffset: info.nextOffset, subscriberName: DASHBOARD_SUBSCRIBER });
    },
    onMessage: (message) => {
      switch (message.kind) {
        case 'started':
          setHead(message.nextOffset, message.logId);
          return;
        case 'events':
          if (message.values.length > 0) setHead(message.firstOffset + BigInt(message.values.length));
          return;
        case 'caughtUp':
          setHead(message.nextOffset);
          return;
        case 'empty':
          return;
      }
    },
    onDown: (reason) => {
      head = undefined;
      const view = cells.log.value;
      if (!view.connected && view.error === reason) return;
      cells.log.set({ ...view, connected: false, error: reason, since: view.connected ? clock() : view.since });
    },
  });

  const sampler = new RateSampler();
  const rateTimer = setInterval(() => cells.rate.set(sampler.sample(head, clock())), 1_000);

  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const [info, listed] = await Promise.all([
        callUnary(unary.getLogInfo.bind(unary), {}, { timeoutMs: CALL_TIMEOUT_MS }),
        callUnary(unary.listSubscriptions.bind(unary), {}, { timeoutMs: CALL_TIMEOUT_MS }),
      ]);
      const view = cells.log.value;
      if (view.storage !== info.storage || view.replicas !== info.replicas) cells.log.set({ ...view, storage: info.storage, replicas: info.replicas });
      cells.subscriptions.set({
        ok: true,
        error: '',
        updatedAt: clock(),
        rows: listed.subscriptions.map((row) => ({
          name: row.subscriberName,
          peer: row.peer,
          nextOffset: row.nextOffset.toString(),
          lag: row.lag.toString(),
          since: row.since ? row.since.toISOString() : '',
          gateway: row.gateway,
        })),
      });
    } catch (error: unknown) {
      const failure = grpcErrorForPage(error, 'the event log');
      // A log that stopped answering (a hung process, a dead network path) can
      // leave the Subscribe stream open for the keepalive's 40 s: say down now.
      if (failure.code === 'DEADLINE_EXCEEDED' && cells.log.value.connected) stream.restart('DEADLINE_EXCEEDED: no answer in time');
      cells.subscriptions.set({ ...cells.subscriptions.value, ok: false, error: `${failure.code}: ${failure.message}` });
    } finally {
      polling = false;
    }
  };
  const pollTimer = setInterval(() => void poll(), POLL_INTERVAL_MS);
  void poll();

  let tailInFlight = false;
  let tailHead: bigint | undefined;
  const tail = async (): Promise<void> => {
    const current = head;
    if (tailInFlight || current === undefined || current === tailHead) return;
    tailInFlight = true;
    try {
      const from = current > BigInt(RECENT_COUNT) ? current - BigInt(RECENT_COUNT) : 0n;
      const events = current === 0n ? [] : await readEvents(unary, from, RECENT_COUNT, CALL_TIMEOUT_MS);
      tailHead = current;
      cells.recent.set({ events: events.reverse() });
    } catch {
      // The stream's onDown reports the log down; the next tick retries.
    } finally {
      tailInFlight = false;
    }
  };
  const tailTimer = setInterval(() => void tail(), TAIL_INTERVAL_MS);
  for (const timer of [rateTimer, pollTimer, tailTimer]) timer.unref();

  return {
    cells,
    head: () => head,
    stop: async () => {
      for (const timer of [rateTimer, pollTimer, tailTimer]) clearInterval(timer);
      await stream.stop();
    },
  };
}
