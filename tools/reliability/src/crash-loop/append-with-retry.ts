import { status } from '@grpc/grpc-js';
import { callUnary, type AppendResponse, type EventLogServiceClient } from '@hello-es/contracts';
import { isUnknownOutcome, statusCodeOf, statusName } from '../system/rpc-errors';
import type { Random } from '@hello-es/test-support';

export interface AppendAttempt {
  readonly values: readonly bigint[];
  /** Empty: unkeyed, never retried. */
  readonly key: string;
  readonly expectedNextOffset?: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'acked'; readonly reply: AppendResponse; readonly attempts: number; readonly clientIndex: number }
  | { readonly kind: 'precondition-failed'; readonly message: string }
  | { readonly kind: 'unknown'; readonly reason: 'connection-lost' | 'retries-exhausted' | 'precondition-on-retry' }
  | { readonly kind: 'error'; readonly message: string };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly callTimeoutMs: number;
}

/** Enough attempts to outlast an event log restart on a busy machine (about 40 s). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 50, initialBackoffMs: 25, maxBackoffMs: 1_000, callTimeoutMs: 5_000 };

/**
 * Appends as a careful client would: a keyed append that fails with an
 * unknown outcome is retried with the same key, with capped exponential
 * backoff and jitter, a bounded number of times; an unkeyed one is not
 * retried (a retry could store it twice) and its outcome is unknown.
 * With several gateways (`clients`), the first attempt goes to
 * `clients[first]` and each retry to the next one in turn, so a keyed
 * append outlives the gateway it was sent to; `clientIndex` says which
 * one answered.
 */
export async function appendWithRetry(
  clients: readonly EventLogServiceClient[],
  attempt: AppendAttempt,
  random: Random,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  first = 0,
): Promise<AppendOutcome> {
  const request = { values: [...attempt.values], idempotencyKey: attempt.key, expectedNextOffset: attempt.expectedNextOffset };
  for (let attempts = 1; ; attempts += 1) {
    const clientIndex = (first + attempts - 1) % clients.length;
    const client = clients[clientIndex];
    if (!client) throw new Error('appendWithRetry needs at least one client');
    try {
      const reply = await callUnary(client.append.bind(client), request, { timeoutMs: policy.callTimeoutMs });
      return { kind: 'acked', reply, attempts, clientIndex };
    } catch (error: unknown) {
      const code = statusCodeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      if (code === status.FAILED_PRECONDITION) {
        // On a retry the first attempt may have been stored and moved the head.
        return attempts === 1 ? { kind: 'precondition-failed', message } : { kind: 'unknown', reason: 'precondition-on-retry' };
      }
      if (!isUnknownOutcome(error)) return { kind: 'error', message: `${statusName(code)}: ${message}` };
      if (attempt.key === '') return { kind: 'unknown', reason: 'connection-lost' };
      if (attempts >= policy.maxAttempts) return { kind: 'unknown', reason: 'retries-exhausted' };
      await pause(backoffMs(attempts, random, policy));
    }
  }
}

/** Capped exponential backoff with full jitter in its upper half. */
export function backoffMs(attempt: number, random: Random, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(attempt, 20));
  return ceiling / 2 + random.next() * (ceiling / 2);
}

/** Waits between retries (pacing a client, not synchronising a test). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
