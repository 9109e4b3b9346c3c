import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * The largest gRPC message, in bytes, that our servers accept and our clients
 * send or receive. A full Append (10,000 values) is about 100 KB and a
 * Subscribe batch (4,096 events) about 170 KB, far below it.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** How often clients ping an idle connection, so a dead server is noticed. */
export const CLIENT_KEEPALIVE_TIME_MS = 30_000;

/** How long a ping may go unanswered before the connection counts as dead. */
export const KEEPALIVE_TIMEOUT_MS = 10_000;

/**
 * Channel options for our clients: keepalive so that a vanished server is
 * detected on long-lived Subscribe and WatchState streams, and message limits
 * that match the servers'.
 */
export const defaultClientChannelOptions: ChannelOptions = {
  'grpc.keepalive_time_ms': CLIENT_KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // Reconnect quickly after a server restart; grpc-js backs off from here.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 5_000,
};
