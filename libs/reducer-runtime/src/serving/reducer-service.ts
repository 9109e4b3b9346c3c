import type {
  GetStateRequest,
  GetStateResponse,
  ReducerServiceServer,
  State,
  WatchStateRequest,
  WatchStateResponse,
} from '@hello-es/contracts';
import {
  millisecondsUntil,
  serverStreamingHandler,
  unaryHandler,
  type OpenStreams,
} from '@hello-es/grpc-server';
import type { Logger } from '@hello-es/process';
import { bigintCodec, type StateCodec } from '../reducer';
import type { ReducerState, StateView } from '../state/reducer-state';
import { watchStates } from '../state/watch-states';
import { MinOffsetUnreachable } from '../state/errors';
import { mapReducerError } from './error-mapping';
import { encodeWatchStateResponse } from './watch-state-wire';

export interface ReducerServiceOptions<S = bigint> {
  readonly reducerName: string;
  readonly state: ReducerState<S>;
  /** Turns the state into `State.value` (default: the decimal text of a bigint state). */
  readonly codec?: StateCodec<S>;
  /** Cap for a GetState wait when the call has no deadline. */
  readonly maxWaitMs: number;
  readonly openStreams: OpenStreams;
  readonly logger: Logger;
}

/** Offsets stay below 2^53 (docs/eventlog.md, "Limits"), so a next offset is at most 2^53. */
export const MAX_NEXT_OFFSET = 2n ** 53n;

export function toStateMessage<S>(reducerName: string, view: StateView<S>, codec: StateCodec<S>): State {
  return { reducer: reducerName, value: codec.encode(view.value), nextOffset: view.nextOffset, logId: view.logId };
}

/**
 * The reducer.v1.ReducerService handlers.
 * GetState: the state, after waiting for `min_next_offset` if set
 * (DEADLINE_EXCEEDED when the deadline, or `maxWaitMs` without one, passes
 * first). WatchState: the current state, then the latest after each change,
 * coalesced for slow watchers; ended with UNAVAILABLE on shutdown. Serve it
 * with {@link reducerServiceDefinition} (WatchState's messages are yielded
 * already encoded).
 */
export function createReducerServiceImplementation<S>(options: ReducerServiceOptions<S>): ReducerServiceServer {
  const context = { logger: options.logger, mapDomainError: mapReducerError, openStreams: options.openStreams };
  const codec = options.codec ?? (bigintCodec as unknown as StateCodec<S>);
  const toState = (view: StateView<S>): State => toStateMessage(options.reducerName, view, codec);

  const getState = unaryHandler<GetStateRequest, GetStateResponse>(
    context,
    'GetState',
    async (request, signal, call) => {
      const min = request.minNextOffset;
      if (min === undefined) return { state: toState(options.state.view) };
      // No log reaches it, so waiting could only end in DEADLINE_EXCEEDED.
      if (min > MAX_NEXT_OFFSET) {
        throw new MinOffsetUnreachable(min, MAX_NEXT_OFFSET);
      }
      const waitMs = millisecondsUntil(call.getDeadline()) ?? options.maxWaitMs;
      const view = await options.state.waitFor(min, waitMs, signal);
      return { state: toState(view) };
    },
  );

  // One encoding per state, whatever the number of watchers (a view is never changed once set).
  const encoded = new WeakMap<StateView<S>, Buffer>();
  const bytesOf = (view: StateView<S>): Buffer => {
    let bytes = encoded.get(view);
    if (bytes === undefined) {
      bytes = encodeWatchStateResponse(toState(view));
      encoded.set(view, bytes);
    }
    return bytes;
  };
  // Yields bytes: served with reducerServiceDefinition, whose WatchState serializer passes them through.
  const watchState = serverStreamingHandler<WatchStateRequest, WatchStateResponse>(
    context,
    'WatchState',
    async function* (_request, signal) {
      for await (const view of watchStates(options.state, signal)) yield bytesOf(view) as unknown as WatchStateResponse;
    },
  );

  return { getState, watchState };
}
