/**
 * What the server sends to the page, topic by topic (one SSE "update" carries
 * any of them). Every 64-bit number and every state is a decimal string: the
 * page turns them into BigInt, never into Number.
 */
export interface LogView {
  /** The Subscribe stream from the head is open. */
  readonly connected: boolean;
  readonly address: string;
  readonly logId: string;
  /** The log's next offset, or "" before the first contact. */
  readonly head: string;
  /** The backend GetLogInfo names: "file", "memory" or "jetstream" ("" before the first answer). */
  readonly storage: string;
  /**
   * Copies kept of each acknowledged event (GetLogInfo's replicas): 1 for
   * "file", the stream's replicas for "jetstream", 0 for "memory" or a server
   * that predates the field.
   */
  readonly replicas: number;
  /** Why it is down ("" while connected). */
  readonly error: string;
  /** Milliseconds since the epoch of the last change of `connected`. */
  readonly since: number;
}

export interface ReducerView {
  readonly name: string;
  readonly address: string;
  /** The WatchState stream is open: `value` is current. Otherwise it is the last value seen, stale. */
  readonly connected: boolean;
  /** The state, in full when short, else its first and last digits around "…". */
  readonly value: string;
  readonly shortened: boolean;
  /** Digits of the state (without its sign). */
  readonly digits: number;
  /** "" before the first state. */
  readonly nextOffset: string;
  readonly logId: string;
  /** When the last state arrived (ms since the epoch), 0 before the first. */
  readonly updatedAt: number;
  readonly error: string;
  readonly since: number;
}

export interface RateView {
  /** The second (ms since the epoch) of the last sample. */
  readonly lastSecond: number;
  /** Events appended per second, oldest first; null where the log was unreachable. */
  readonly perSecond: readonly (number | null)[];
}

export interface EventView {
  readonly offset: string;
  readonly value: string;
  /** ISO time of the append, "" if unknown. */
  readonly time: string;
}

export interface RecentEventsView {
  readonly events: readonly EventView[];
}

export interface SubscriptionRow {
  readonly name: string;
  readonly peer: string;
  readonly nextOffset: string;
  readonly lag: string;
  readonly since: string;
  /** The event log server (gateway) serving it, "host:port"; "" from a server that predates the field. */
  readonly gateway: string;
}

export interface SubscriptionsView {
  /** The last ListSubscriptions answered; when false `rows` are the last ones seen, stale. */
  readonly ok: boolean;
  readonly error: string;
  readonly rows: readonly SubscriptionRow[];
  readonly updatedAt: number;
}

/** The server's clock, sent every second: a page that hears nothing for a few seconds marks everything stale. */
export interface ServerView {
  readonly time: number;
}

/** The answer of POST /api/append. */
export type AppendResult =
  | { readonly ok: true; readonly firstOffset: string; readonly nextOffset: string; readonly duplicate: boolean }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** The answer of GET /api/events. */
export interface EventPage {
  readonly head: string;
  readonly from: string;
  readonly events: readonly EventView[];
}

export const REDUCER_TOPIC_PREFIX = 'reducer:';
