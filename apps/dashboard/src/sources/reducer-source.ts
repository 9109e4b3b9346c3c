import type { ReducerServiceClient, WatchStateResponse } from '@hello-es/contracts';
import { LatestCell } from '../cells/latest-cell';
import { REDUCER_TOPIC_PREFIX, type ReducerView } from '../view-model';
import { previewState } from './state-preview';
import { startLivenessProbe, type Probe } from './liveness-probe';
import { runStreamLoop } from './stream-loop';

/** One reducer followed with WatchState: its cell for the pages and its full state for GET /api/state. */
export interface ReducerSource {
  readonly name: string;
  readonly cell: LatestCell<ReducerView>;
  /** The last state seen in full (exact decimal), "" before the first. */
  fullValue(): string;
  stop(): Promise<void>;
}

export function initialReducerView(name: string, address: string, now: number): ReducerView {
  return { name, address, connected: false, value: '', shortened: false, digits: 0, nextOffset: '', logId: '', updatedAt: 0, error: 'connecting', since: now };
}

/**
 * Follows a reducer's WatchState forever. While the stream is open the cell
 * holds the current state; when it breaks the cell says so at once
 * (connected false, the error) and keeps the last state only as a stale one,
 * and the stream is reopened with backoff.
 */
export function startReducerSource(
  name: string,
  address: string,
  client: ReducerServiceClient,
  probe: Probe,
  clock: () => number = Date.now,
): ReducerSource {
  const cell = new LatestCell<ReducerView>(REDUCER_TOPIC_PREFIX + name, initialReducerView(name, address, clock()));
  let full = '';
  const stream = runStreamLoop<WatchStateResponse>({
    open: () => client.watchState({}),
    onMessage: (message) => {
      const state = message.state;
      if (!state) return;
      full = state.value;
      const wasConnected = cell.value.connected;
      cell.set({
        ...cell.value,
        ...previewState(state.value),
        connected: true,
        nextOffset: state.nextOffset.toString(),
        logId: state.logId,
        updatedAt: clock(),
        error: '',
        since: wasConnected ? cell.value.since : clock(),
      });
    },
    onDown: (reason) => {
      const view = cell.value;
      if (!view.connected && view.error === reason) return;
      cell.set({ ...view, connected: false, error: reason, since: view.connected ? clock() : view.since });
    },
  });
  const stopProbe = startLivenessProbe(
    probe,
    () => cell.value.connected,
    () => stream.restart('DEADLINE_EXCEEDED: the reducer does not answer'),
  );
  return {
    name,
    cell,
    fullValue: () => full,
    stop: async () => {
      stopProbe();
      await stream.stop();
      client.close();
    },
  };
}
