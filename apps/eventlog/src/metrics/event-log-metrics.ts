import { METRICS_NAMESPACE } from '@hello-es/grpc-server';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SubscriptionRegistry } from '../service/subscription-registry';
import type { LogStore } from '../store/log-store';
import type { LogStoreObserver } from '../store/log-store-observer';

/**
 * Subscriber names that get a `subscriber_name` label value of their own:
 * the first this many distinct names since start. Later names share the
 * value "other" (their largest lag), so a client inventing names cannot grow
 * the series without bound. Reducers subscribe at start, so they come first.
 */
export const MAX_SUBSCRIBER_NAME_LABELS = 32;
export const OTHER_SUBSCRIBER = 'other';
/** The label value of a subscription that gave no name. */
export const UNNAMED_SUBSCRIBER = 'unnamed';

/** fdatasync: from a page-cache flush on NVMe (tens of µs) to a stalling disk. */
export const FSYNC_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Powers of 4 up to the largest append (65,536 values). */
export const GROUP_EVENTS_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16_384, 65_536];
export const GROUP_APPENDS_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export interface EventLogMetrics {
  /** Pass to openLogStore: counts what the store commits. */
  readonly observer: LogStoreObserver;
  /** The gauges read at scrape time (no cost on the append path): head, open subscriptions, lag. */
  watch(store: LogStore, subscriptions: SubscriptionRegistry): void;
}

/** The event log's own metrics (`hello_es_eventlog_*`, see docs/metrics.md), registered in `registry`. */
export function createEventLogMetrics(registry: Registry): EventLogMetrics {
  const name = (suffix: string): string => `${METRICS_NAMESPACE}_eventlog_${suffix}`;
  const registers = [registry];
  const appends = new Counter({ name: name('appends_total'), help: 'Appends made durable (retries answered from the dedupe window not included).', registers });
  const events = new Counter({ name: name('append_events_total'), help: 'Events appended and made durable.', registers });
  const duplicates = new Counter({
    name: name('append_duplicates_total'),
    help: 'Appends answered from the dedupe window: retries with a known idempotency key, nothing written.',
    registers,
  });
  const failures = new Counter({
    name: name('storage_failures_total'),
    help: 'Appends that failed in storage (write or fdatasync error; each got UNAVAILABLE).',
    registers,
  });
  const groupAppends = new Histogram({
    name: name('group_commit_appends'),
    help: 'Appends per group commit (one write and fdatasync).',
    buckets: GROUP_APPENDS_BUCKETS,
    registers,
  });
  const groupEvents = new Histogram({ name: name('group_commit_events'), help: 'Events per group commit.', buckets: GROUP_EVENTS_BUCKETS, registers });
  const fsync = new Histogram({
    name: name('fdatasync_seconds'),
    help: 'Duration of each durable write (O_DSYNC write, or write + fdatasync), by file (events: every group; keys: groups with idempotency keys).',
    labelNames: ['file'],
    buckets: FSYNC_BUCKETS,
    registers,
  });
  const fsyncEvents = fsync.labels({ file: 'events' });
  const fsyncKeys = fsync.labels({ file: 'keys' });

  let source: { store: LogStore; subscriptions: SubscriptionRegistry } | undefined;
  new Gauge({
    name: name('next_offset'),
    help: 'The head: the offset the next appended event gets (the number of durable events).',
    registers,
    collect() {
      if (source) this.set(Number(source.store.nextOffset()));
    },
  });
  new Gauge({
    name: name('subscriptions_open'),
    help: 'Subscribe streams open now.',
    registers,
    collect() {
      if (source) this.set(source.subscriptions.size);
    },
  });
  const labelled = new Set<string>();
  const labelOf = (subscriberName: string): string => {
    const label = subscriberName === '' ? UNNAMED_SUBSCRIBER : subscriberName;
    if (labelled.has(label)) return label;
    if (labelled.size >= MAX_SUBSCRIBER_NAME_LABELS) return OTHER_SUBSCRIBER;
    labelled.add(label);
    return label;
  };
  const lagOf = (head: bigint, nextOffset: bigint): number => (head > nextOffset ? Number(head - nextOffset) : 0);
  new Gauge({
    name: name('subscription_lag_events'),
    help: `Events between the head and the next event each open subscription will send, by subscriber name (the largest for a name with several streams); the first ${MAX_SUBSCRIBER_NAME_LABELS} names since start have their own value, later ones share "${OTHER_SUBSCRIBER}". A name with no open stream has no series.`,
    labelNames: ['subscriber_name'],
    registers,
    collect() {
      this.reset();
      if (!source) return;
      const head = source.store.nextOffset();
      const largest = new Map<string, number>();
      for (const entry of source.subscriptions.list()) {
        const label = labelOf(entry.subscriberName);
        largest.set(label, Math.max(largest.get(label) ?? 0, lagOf(head, entry.nextOffset)));
      }
      for (const [label, lag] of largest) this.set({ subscriber_name: label }, lag);
    },
  });
  new Gauge({
    name: name('subscription_max_lag_events'),
    help: 'The largest lag of any open subscription (0 with none): alert on this one.',
    registers,
    collect() {
      if (!source) return;
      const head = source.store.nextOffset();
      let max = 0;
      for (const entry of source.subscriptions.list()) max = Math.max(max, lagOf(head, entry.nextOffset));
      this.set(max);
    },
  });

  const observer: LogStoreObserver = {
    groupCommitted(appendCount, eventCount) {
      appends.inc(appendCount);
      events.inc(eventCount);
      groupAppends.observe(appendCount);
      groupEvents.observe(eventCount);
    },
    duplicate: () => duplicates.inc(),
    synced: (file, seconds) => (file === 'events' ? fsyncEvents : fsyncKeys).observe(seconds),
    storageFailed: (appendCount) => failures.inc(appendCount),
  };
  return {
    observer,
    watch(store, subscriptions) {
      source = { store, subscriptions };
    },
  };
}
