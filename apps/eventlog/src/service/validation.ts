import { status } from '@grpc/grpc-js';
import type { ReadRequest, SubscribeRequest } from '@hello-es/contracts';
import { GrpcStatusError } from '@hello-es/grpc-server';
import type { AppendCommand, Int64Values } from '../store/log-store';

export const MAX_IDEMPOTENCY_KEY_BYTES = 128;
export const MAX_SUBSCRIBER_NAME_BYTES = 256;

/** The fields of an AppendRequest, as generated or as decodeAppendRequest gives them. */
export interface AppendRequestFields {
  readonly values: Int64Values;
  readonly expectedNextOffset?: bigint | undefined;
  readonly idempotencyKey: string;
}

/**
 * Checks an Append request against the limits; pure, so it can be fuzzed.
 * Throws GrpcStatusError INVALID_ARGUMENT naming the limit.
 */
export function validateAppendRequest(request: AppendRequestFields, maxAppendValues: number): AppendCommand {
  if (request.values.length === 0) {
    throw new GrpcStatusError(status.INVALID_ARGUMENT, `values must hold 1 to ${maxAppendValues} values, got none`);
  }
  if (request.values.length > maxAppendValues) {
    throw new GrpcStatusError(
      status.INVALID_ARGUMENT,
      `values must hold 1 to ${maxAppendValues} values, got ${request.values.length}`,
    );
  }
  const keyBytes = Buffer.byteLength(request.idempotencyKey, 'utf8');
  if (keyBytes > MAX_IDEMPOTENCY_KEY_BYTES) {
    throw new GrpcStatusError(
      status.INVALID_ARGUMENT,
      `idempotency_key must be at most ${MAX_IDEMPOTENCY_KEY_BYTES} bytes, got ${keyBytes}`,
    );
  }
  return {
    values: request.values,
    expectedNextOffset: request.expectedNextOffset,
    idempotencyKey: request.idempotencyKey,
  };
}

export interface ValidSubscribe {
  readonly fromOffset: bigint;
  readonly subscriberName: string;
  /** from_head: start at the head the subscription finds (fromOffset is then 0 and unused). */
  readonly fromHead: boolean;
  /** values_only: events as EventValues (a first offset and packed values), no append times. */
  readonly valuesOnly: boolean;
}

/**
 * Checks a Subscribe request; throws INVALID_ARGUMENT for a name over 256
 * bytes, or for from_head with a from_offset other than 0 (which of the two
 * was meant cannot be known).
 */
export function validateSubscribeRequest(request: SubscribeRequest): ValidSubscribe {
  const nameBytes = Buffer.byteLength(request.subscriberName, 'utf8');
  if (nameBytes > MAX_SUBSCRIBER_NAME_BYTES) {
    throw new GrpcStatusError(
      status.INVALID_ARGUMENT,
      `subscriber_name must be at most ${MAX_SUBSCRIBER_NAME_BYTES} bytes, got ${nameBytes}`,
    );
  }
  const fromHead = request.fromHead === true;
  if (fromHead && request.fromOffset !== 0n) {
    throw new GrpcStatusError(
      status.INVALID_ARGUMENT,
      `from_head starts at the head: from_offset must be 0 with it, got ${request.fromOffset}`,
    );
  }
  return { fromOffset: request.fromOffset, subscriberName: request.subscriberName, fromHead, valuesOnly: request.valuesOnly === true };
}

export interface ValidRead {
  readonly fromOffset: bigint;
  /** 0n: up to the head at the call. */
  readonly maxCount: bigint;
}

/** Checks a Read request (every uint64 is acceptable; the head check comes later). */
export function validateReadRequest(request: ReadRequest): ValidRead {
  return { fromOffset: request.fromOffset, maxCount: request.maxCount };
}
