import type { StreamingHandlerContext } from '@hello-es/grpc-server';
import type { LogStore } from '../store/log-store';
import type { SubscriptionDirectory } from '../store/subscription-directory';
import type { AppendStreamStats } from './append-stream-stats';
import type { SubscriptionRegistry } from './subscription-registry';

/** What the RPC handlers share. */
export interface HandlerDeps {
  readonly store: LogStore;
  readonly registry: SubscriptionRegistry;
  /** What ListSubscriptions lists: this server's subscriptions, or every gateway's on a shared backend. */
  readonly subscriptions: SubscriptionDirectory;
  /** Logger, error mapping and the open-streams registry for Subscribe. */
  readonly context: StreamingHandlerContext;
  readonly maxAppendValues: number;
  /** EVENTLOG_APPEND_STREAM_WINDOW: unanswered appends one AppendStream may hold. */
  readonly appendStreamWindow: number;
  readonly appendStreamStats: AppendStreamStats;
}

/** Events per message while catching up or reading (the proto's documented batch size). */
export const BATCH_EVENTS = 4_096;
