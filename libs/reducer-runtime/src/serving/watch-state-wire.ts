/**
 * WatchStateResponse encoded by hand, once per state: the generated encoder
 * forks a writer per nested message and copies its output again (grpc-js's
 * serializer wraps it in a Buffer), per message and per watcher; this writes
 * one buffer, shared by every watcher of the same state. Proven equal to the
 * generated encoder by watch-state-wire.unit.spec.ts.
 *
 * WatchStateResponse: 1 state (State: 1 reducer, 2 value (string),
 * 3 next_offset (uint64), 4 log_id (string)); proto3 leaves out empty
 * strings and a zero offset, as the generated encoder does.
 */
import { ReducerServiceService, writeVarintNumber, type WatchStateResponse } from '@hello-es/contracts';

export interface EncodedState {
  readonly reducer: string;
  readonly value: string;
  readonly nextOffset: bigint;
  readonly logId: string;
}

export function encodeWatchStateResponse(state: EncodedState): Buffer {
  const reducerBytes = Buffer.byteLength(state.reducer, 'utf8');
  const valueBytes = Buffer.byteLength(state.value, 'utf8');
  const logIdBytes = Buffer.byteLength(state.logId, 'utf8');
  // Offsets stay below 2^53 (docs/eventlog.md, "Limits"): a safe integer.
  const offset = Number(state.nextOffset);
  const inner =
    stringField(reducerBytes) + stringField(valueBytes) + (offset === 0 ? 0 : 1 + varintLength(offset)) + stringField(logIdBytes);
  const out = Buffer.allocUnsafe(1 + varintLength(inner) + inner);
  let at = 0;
  out[at++] = 0x0a;
  at = writeVarintNumber(out, at, inner);
  at = writeString(out, at, 0x0a, state.reducer, reducerBytes);
  at = writeString(out, at, 0x12, state.value, valueBytes);
  if (offset !== 0) {
    out[at++] = 0x18;
    at = writeVarintNumber(out, at, offset);
  }
  writeString(out, at, 0x22, state.logId, logIdBytes);
  return out;
}

function stringField(bytes: number): number {
  return bytes === 0 ? 0 : 1 + varintLength(bytes) + bytes;
}

function writeString(out: Buffer, at: number, tag: number, text: string, bytes: number): number {
  if (bytes === 0) return at;
  out[at] = tag;
  const start = writeVarintNumber(out, at + 1, bytes);
  return start + out.write(text, start, 'utf8');
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest > 127; rest = Math.floor(rest / 128)) length += 1;
  return length;
}

/**
 * ReducerServiceService with WatchState's responses passed through when
 * they are already bytes (as this runtime's handler yields them); every
 * other method, and a WatchStateResponse object, as generated.
 */
export const reducerServiceDefinition = {
  ...ReducerServiceService,
  watchState: {
    ...ReducerServiceService.watchState,
    responseSerialize: (value: WatchStateResponse | Buffer): Buffer =>
      Buffer.isBuffer(value) ? value : ReducerServiceService.watchState.responseSerialize(value),
  },
};
