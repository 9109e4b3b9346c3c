import type { GetStateRequest, GetStateResponse, State, WatchStateRequest, WatchStateResponse } from '@hello-es/contracts';
import {
  millisecondsUntil,
  noDomainErrors,
  serverStreamingHandler,
  unaryHandler,
  type OpenStreams,
} from '@hello-es/grpc-server';
import type { Logger } from '@hello-es/process';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ReducerState, StateView } from './reducer-state';
import { watchStates } from './watch-states';

export interface ReducerServiceOptions {
  readonly reducerName: string;
  readonly state: ReducerState;
  /** Cap for a GetState wait when the call has no deadline. */
  readonly maxWaitMs: number;
  readonly openStreams: OpenStreams;
  readonly logger: Logger;
}

export function toStateMessage(reducerName: string, view: StateView): State {
  return { reducer: reducerName, value: view.value.toString(), nextOffset: view.nextOffset, logId: view.logId };
}

/**
 * The reducer.v1.ReducerService handlers.
 * GetState: the state, after waiting for `min_next_offset` if set
 * (DEADLINE_EXCEEDED when the deadline, or `maxWaitMs` without one, passes
 * first). WatchState: the current state, then the latest after each change,
 * coalesced for slow watchers; ended with UNAVAILABLE on shutdown.
 */
export function createReducerServiceImplementation(options: ReducerServiceOptions): UntypedServiceImplementation {
  const context = { logger: options.logger, mapDomainError: noDomainErrors, openStreams: options.openStreams };
  const toState = (view: StateView): State => toStateMessage(options.reducerName, view);

  const getState = unaryHandler<GetStateRequest, GetStateResponse>(
    context,
    'GetState',
    async (request, signal, call) => {
      const min = request.minNextOffset;
      if (min === undefined) return { state: toState(options.state.view) };
      const waitMs = millisecondsUntil(call.getDeadline()) ?? options.maxWaitMs;
      const view = await options.state.waitFor(min, waitMs, signal);
      return { state: toState(view) };
    },
  );

  const watchState = serverStreamingHandler<WatchStateRequest, WatchStateResponse>(
    context,
    'WatchState',
    async function* (_request, signal) {
      for await (const view of watchStates(options.state, signal)) yield { state: toState(view) };
    },
  );

  return { getState, watchState };
}
