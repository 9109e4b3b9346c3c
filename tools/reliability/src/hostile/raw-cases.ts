import fc from 'fast-check';
import { AppendRequest, AppendStreamRequest, GetStateRequest, ReadRequest, SubscribeRequest, MAX_MESSAGE_BYTES } from '@hello-es/contracts';
import { grpcFrame } from './raw-grpc-call';

/** One hostile request body for one method path. */
export interface RawCase {
  readonly path: string;
  readonly name: string;
  readonly body: Buffer;
}

export const EVENTLOG_PATHS = [
  '/eventlog.v1.EventLogService/Append',
  '/eventlog.v1.EventLogService/Subscribe',
  '/eventlog.v1.EventLogService/Read',
  '/eventlog.v1.EventLogService/GetLogInfo',
  '/eventlog.v1.EventLogService/ListSubscriptions',
  '/grpc.health.v1.Health/Check',
  // Last, so the seeds of the paths above stay what they were.
  '/eventlog.v1.EventLogService/AppendStream',
] as const;

export const REDUCER_PATHS = ['/reducer.v1.ReducerService/GetState', '/reducer.v1.ReducerService/WatchState'] as const;

const UINT64_MAX = 2n ** 64n - 1n;

/**
 * A request of the method's own type that is valid protobuf but that the
 * server must refuse without side effects, used to build frames around.
 */
function refusedRequest(path: string): Uint8Array {
  if (path.endsWith('/Append')) return AppendRequest.encode({ values: [], idempotencyKey: '' }).finish();
  if (path.endsWith('/AppendStream')) return refusedStreamAppend(7n);
  if (path.endsWith('/Subscribe')) return SubscribeRequest.encode({ fromOffset: UINT64_MAX, subscriberName: '' }).finish();
  if (path.endsWith('/Read')) return ReadRequest.encode({ fromOffset: UINT64_MAX, maxCount: 0n }).finish();
  return new Uint8Array(0);
}

/** One append on an AppendStream that is refused on its own (empty values): the stream goes on. */
function refusedStreamAppend(requestId: bigint): Uint8Array {
  return AppendStreamRequest.encode({ requestId, append: { values: [], idempotencyKey: '' }, appends: [] }).finish();
}

/** AppendStream's own hostile cases: a stream that half-closes mid-message, reused and huge request ids. */
function appendStreamCases(path: string): RawCase[] {
  if (!path.endsWith('/AppendStream')) return [];
  const refused = (id: bigint): Buffer => grpcFrame(refusedStreamAppend(id));
  return [
    { path, name: 'two appends, then a half-close mid-message', body: Buffer.concat([refused(1n), refused(2n), grpcFrame(Buffer.alloc(10, 0x08), 100)]) },
    { path, name: 'request ids reused', body: Buffer.concat([refused(5n), refused(5n), refused(5n)]) },
    { path, name: 'request id 2^64-1 and 0', body: Buffer.concat([refused(UINT64_MAX), refused(0n)]) },
    { path, name: 'an unreadable frame after a good one', body: Buffer.concat([refused(1n), grpcFrame(Buffer.from([0x0f, 0x01]))]) },
  ];
}

/** The fixed cases sent at every method: framing broken in each way we know. */
export function fixedCases(path: string): RawCase[] {
  const refused = refusedRequest(path);
  const oversized = Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 0x0a);
  return [
    ...appendStreamCases(path),
    { path, name: 'no message at all', body: Buffer.alloc(0) },
    { path, name: 'three bytes, less than a frame header', body: Buffer.from([0, 0, 1]) },
    { path, name: 'frame cut short (declares 100 bytes, carries 10)', body: grpcFrame(Buffer.alloc(10, 0xff), 100) },
    { path, name: 'frame declaring 4 GiB - 1', body: grpcFrame(Buffer.alloc(16, 0x01), 0xffff_ffff) },
    { path, name: 'frame one KiB over the message limit', body: grpcFrame(oversized) },
    { path, name: 'compressed flag without grpc-encoding', body: grpcFrame(Buffer.from(refused), refused.length, true) },
    { path, name: 'two messages for a single-request method', body: Buffer.concat([grpcFrame(refused), grpcFrame(refused)]) },
    { path, name: 'invalid wire type in field 1', body: grpcFrame(Buffer.from([0x0f, 0x01, 0x02])) },
    { path, name: 'varint longer than 10 bytes', body: grpcFrame(Buffer.from([0x08, ...Array<number>(11).fill(0xff), 0x01])) },
    { path, name: 'length-delimited field running past the end', body: grpcFrame(Buffer.from([0x1a, 0x7f, 0x41])) },
  ];
}

/**
 * Random bytes: half framed (a valid frame header around random protobuf-ish
 * bytes), half unframed noise. Bodies that happen to decode into a request
 * the server would carry out (an Append with values, any Subscribe) are
 * replaced: they are not hostile, and they would change the log or never end.
 */
export function randomCases(path: string, count: number, seed: number): RawCase[] {
  const samples = fc.sample(fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 0, maxLength: 512 })), { numRuns: count * 4, seed });
  const cases: RawCase[] = [];
  for (const [framed, bytes] of samples) {
    if (cases.length >= count) break;
    const body = framed ? grpcFrame(bytes) : Buffer.from(bytes);
    if (framed && wouldBeCarriedOut(path, bytes)) continue;
    if (!framed && framesIn(bytes).some((payload) => wouldBeCarriedOut(path, payload))) continue;
    cases.push({ path, name: framed ? 'random framed bytes' : 'random unframed bytes', body });
  }
  return cases;
}

/** The payloads of the complete gRPC frames at the start of `bytes` (a stream method reads every one). */
function framesIn(bytes: Uint8Array): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  const view = Buffer.from(bytes);
  for (let at = 0; at + 5 <= view.length; ) {
    const end = at + 5 + view.readUInt32BE(at + 1);
    payloads.push(view.subarray(at + 5, Math.min(end, view.length)));
    at = end;
  }
  return payloads;
}

function wouldBeCarriedOut(path: string, payload: Uint8Array): boolean {
  try {
    if (path.endsWith('/Append')) return AppendRequest.decode(payload).values.length > 0;
    if (path.endsWith('/AppendStream')) return (AppendStreamRequest.decode(payload).append?.values.length ?? 0) > 0;
    // A min_next_offset the reducer has not reached is a valid wait (up to REDUCER_MAX_WAIT_MS, 30 s),
    // not a hostile input; above 2^53 it is refused at once, which stays a case.
    if (path.endsWith('/GetState')) {
      const min = GetStateRequest.decode(payload).minNextOffset;
      return min !== undefined && min > 0n && min <= 2n ** 53n;
    }
    if (path.endsWith('/Subscribe') || path.endsWith('/WatchState')) {
      SubscribeRequest.decode(payload);
      return true;
    }
    return false;
  } catch {
    return false;
  }
}
