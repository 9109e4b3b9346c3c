import { METRICS_NAMESPACE } from '@hello-es/grpc-server';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ReducerState } from '../state/reducer-state';

/** What the follower tells whoever watches it (the metrics): plain calls, so the follower imports no metrics library. */
export interface FollowerObserver {
  /** Subscribed (the log said `started`), or the subscription is gone. */
  connected(connected: boolean): void;
  /** Caught up after a (re)connect, or no longer (the subscription is gone). */
  caughtUp(caughtUp: boolean): void;
  /** One batch of `events` events applied in `seconds`. */
  applied(events: number, seconds: number): void;
  /**
   * The log's head is at least `nextOffset` (caught_up, the end of a batch).
   * `started` true: a new session's head, which replaces what was seen before
   * (after a rebuild the log may be another, shorter one).
   */
  headSeen(nextOffset: bigint, started?: boolean): void;
  /** A new Subscribe after a session ended (failure, end of stream, gap, rebuild). */
  resubscribing(): void;
}

/** What the snapshot scheduler tells the metrics. */
export interface SnapshotObserver {
  /** A snapshot write finished (`ok` false: it failed and is retried at the next trigger). */
  written(ok: boolean, seconds: number): void;
}

export interface ReducerMetrics {
  readonly follower: FollowerObserver;
  readonly snapshots: SnapshotObserver;
  /**
   * The gauges read at scrape time: next offset, lag, waiting GetState calls.
   * `logHead` (GetLogInfo on the log, with a short deadline) makes the lag
   * exact at scrape time even when the reducer is disconnected or slow; when
   * it fails the lag is against the last head the follower saw.
   */
  watch(state: ReducerState<unknown>, logHead?: () => Promise<bigint>): void;
}

/** Apply is a pure fold: microseconds for a live event, milliseconds for a 4,096-event catch-up batch. */
export const APPLY_BATCH_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];
export const SNAPSHOT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * A reducer's metrics (`hello_es_reducer_*`, docs/metrics.md), every series
 * labelled `reducer="<name>"` (one value per process: the label lets one
 * dashboard show every reducer).
 */
export function createReducerMetrics(registry: Registry, reducerName: string): ReducerMetrics {
  const name = (suffix: string): string => `${METRICS_NAMESPACE}_reducer_${suffix}`;
  const registers = [registry];
  const labels = { reducer: reducerName };
  const labelNames = ['reducer'] as const;
  const applied = new Counter({ name: name('events_applied_total'), help: 'Events folded into the state since start (replay and live).', labelNames, registers });
  const applyBatch = new Histogram({
    name: name('apply_batch_seconds'),
    help: 'Time to fold one batch of events into the state.',
    labelNames,
    buckets: APPLY_BATCH_BUCKETS,
    registers,
  });
  const connected = new Gauge({ name: name('connected'), help: '1 while subscribed to the event log, else 0.', labelNames, registers });
  const caughtUp = new Gauge({
    name: name('caught_up'),
    help: '1 while subscribed and caught up (health SERVING), else 0.',
    labelNames,
    registers,
  });
  const reconnects = new Counter({
    name: name('reconnects_total'),
    help: 'Subscribes made again after a subscription ended or failed.',
    labelNames,
    registers,
  });
  const snapshotWrites = new Counter({ name: name('snapshot_writes_total'), help: 'Snapshots written.', labelNames, registers });
  const snapshotFailures = new Counter({
    name: name('snapshot_write_failures_total'),
    help: 'Snapshot writes that failed (retried at the next trigger).',
    labelNames,
    registers,
  });
  const snapshotSeconds = new Histogram({
    name: name('snapshot_write_seconds'),
    help: 'Time to write one snapshot (encode, write, fsync, rename), successful or not.',
    labelNames,
    buckets: SNAPSHOT_BUCKETS,
    registers,
  });
  let source: { state: ReducerState<unknown>; logHead: (() => Promise<bigint>) | undefined } | undefined;
  let lastHead = 0n;
  new Gauge({
    name: name('next_offset'),
    help: 'The offset of the next event the reducer will apply: the state is the fold of [0, next offset).',
    labelNames,
    registers,
    collect() {
      if (source) this.set(labels, Number(source.state.view.nextOffset));
    },
  });
  new Gauge({
    name: name('lag_events'),
    help: "Events in the log not yet applied: the log's head (asked at scrape time) minus the next offset.",
    labelNames,
    registers,
    async collect() {
      if (!source) return;
      if (source.logHead) {
        try {
          const head = await source.logHead();
          if (head > lastHead) lastHead = head;
        } catch {
          // The log is unreachable: the lag against the last head seen (connected says 0).
        }
      }
      const nextOffset = source.state.view.nextOffset;
      this.set(labels, lastHead > nextOffset ? Number(lastHead - nextOffset) : 0);
    },
  });
  new Gauge({
    name: name('get_state_waiting'),
    help: 'GetState calls waiting for min_next_offset now.',
    labelNames,
    registers,
    collect() {
      if (source) this.set(labels, source.state.waiting);
    },
  });
  for (const metric of [applied, reconnects, snapshotWrites, snapshotFailures]) metric.inc(labels, 0);
  connected.set(labels, 0);
  caughtUp.set(labels, 0);
  applyBatch.zero(labels);
  snapshotSeconds.zero(labels);
  const appliedChild = applied.labels(labels);
  const applyChild = applyBatch.labels(labels);
  return {
    follower: {
      connected: (value) => connected.set(labels, value ? 1 : 0),
      caughtUp: (value) => caughtUp.set(labels, value ? 1 : 0),
      applied(events, seconds) {
        appliedChild.inc(events);
        applyChild.observe(seconds);
      },
      headSeen(nextOffset, started = false) {
        if (started || nextOffset > lastHead) lastHead = nextOffset;
      },
      resubscribing: () => reconnects.inc(labels),
    },
    snapshots: {
      written(ok, seconds) {
        (ok ? snapshotWrites : snapshotFailures).inc(labels);
        snapshotSeconds.observe(labels, seconds);
      },
    },
    watch(state, logHead) {
      source = { state, logHead };
    },
  };
}
