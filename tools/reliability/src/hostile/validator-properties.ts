import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { AppendRequest, ReadRequest, SubscribeRequest } from '@hello-es/contracts';
import { GrpcStatusError } from '@hello-es/grpc-server';
import {
  MAX_IDEMPOTENCY_KEY_BYTES,
  MAX_SUBSCRIBER_NAME_BYTES,
  validateAppendRequest,
  validateReadRequest,
  validateSubscribeRequest,
} from '@hello-es/eventlog/testing';

const INT64 = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
const UINT64 = fc.bigInt(0n, 2n ** 64n - 1n);
/** Strings of any Unicode, so byte length and character length differ. */
const TEXT = (maxLength: number) => fc.string({ unit: 'binary', maxLength });

/** One named property; `run` checks it `numRuns` times and throws fast-check's report on failure. */
export interface NamedProperty {
  readonly name: string;
  run(numRuns: number, seed: number): void;
}

function isInvalidArgument(error: unknown, mentions: string): boolean {
  return error instanceof GrpcStatusError && error.code === status.INVALID_ARGUMENT && error.message.includes(mentions);
}

/** The event log's validators and the request decoders, as properties. */
export const VALIDATOR_PROPERTIES: readonly NamedProperty[] = [
  {
    name: 'validateAppendRequest accepts exactly the appends within the limits and refuses the rest with INVALID_ARGUMENT naming the limit',
    run: (numRuns, seed) =>
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 40 }), fc.array(INT64, { maxLength: 48 }), TEXT(140), fc.option(UINT64, { nil: undefined }), (max, values, key, expected) => {
          const request = { values, idempotencyKey: key, expectedNextOffset: expected };
          const valid = values.length >= 1 && values.length <= max && Buffer.byteLength(key, 'utf8') <= MAX_IDEMPOTENCY_KEY_BYTES;
          try {
            const command = validateAppendRequest(request, max);
            return valid && command.values === values && command.idempotencyKey === key && command.expectedNextOffset === expected;
          } catch (error: unknown) {
            const limit = values.length === 0 || values.length > max ? String(max) : String(MAX_IDEMPOTENCY_KEY_BYTES);
            return !valid && isInvalidArgument(error, limit);
          }
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'validateSubscribeRequest refuses names over 256 bytes with INVALID_ARGUMENT and passes everything else through',
    run: (numRuns, seed) =>
      fc.assert(
        fc.property(UINT64, TEXT(300), (fromOffset, subscriberName) => {
          const valid = Buffer.byteLength(subscriberName, 'utf8') <= MAX_SUBSCRIBER_NAME_BYTES;
          try {
            const result = validateSubscribeRequest({ fromOffset, subscriberName });
            return valid && result.fromOffset === fromOffset && result.subscriberName === subscriberName;
          } catch (error: unknown) {
            return !valid && isInvalidArgument(error, String(MAX_SUBSCRIBER_NAME_BYTES));
          }
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'validateReadRequest accepts every uint64 offset and count unchanged',
    run: (numRuns, seed) =>
      fc.assert(
        fc.property(UINT64, UINT64, (fromOffset, maxCount) => {
          const result = validateReadRequest({ fromOffset, maxCount });
          return result.fromOffset === fromOffset && result.maxCount === maxCount;
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'AppendRequest survives an encode/decode round trip at int64 and uint64 extremes',
    run: (numRuns, seed) =>
      fc.assert(
        fc.property(fc.array(INT64, { maxLength: 64 }), TEXT(40), fc.option(UINT64, { nil: undefined }), (values, idempotencyKey, expectedNextOffset) => {
          const decoded = AppendRequest.decode(AppendRequest.encode({ values, idempotencyKey, expectedNextOffset }).finish());
          return decoded.values.join(',') === values.join(',') && decoded.idempotencyKey === idempotencyKey && decoded.expectedNextOffset === expectedNextOffset;
        }),
        { numRuns, seed },
      ),
  },
  {
    name: 'decoding arbitrary bytes either throws or yields in-range fields',
    run: (numRuns, seed) =>
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
          const inRange = (value: bigint, min: bigint, max: bigint): boolean => value >= min && value <= max;
          const attempts: (() => boolean)[] = [
            () => AppendRequest.decode(bytes).values.every((value) => inRange(value, -(2n ** 63n), 2n ** 63n - 1n)),
            () => inRange(SubscribeRequest.decode(bytes).fromOffset, 0n, 2n ** 64n - 1n),
            () => {
              const read = ReadRequest.decode(bytes);
              return inRange(read.fromOffset, 0n, 2n ** 64n - 1n) && inRange(read.maxCount, 0n, 2n ** 64n - 1n);
            },
          ];
          return attempts.every((attempt) => {
            try {
              return attempt();
            } catch (error: unknown) {
              return error instanceof Error;
            }
          });
        }),
        { numRuns, seed },
      ),
  },
];

/** Runs every property; returns how many inputs were checked. Throws on the first failing property. */
export function runValidatorProperties(numRuns: number, seed: number): number {
  for (const property of VALIDATOR_PROPERTIES) property.run(numRuns, seed);
  return numRuns * VALIDATOR_PROPERTIES.length;
}
