import type { AppendTimeline } from '../system/append-window';
import type { AppliedWatch } from '../system/applied-watch';
import { percentile, ratePerSecond } from '../report/stats';

export interface ThroughputAndLatency {
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Append start → its reply (durable in the eventlog), p99. */
  readonly ackP99Ms: number;
}

/**
 * Events/s from the first append's start until both reducers had applied
 * everything, and the append-start → applied-in-both latency per append.
 */
export function throughputAndLatency(
  timeline: AppendTimeline,
  watch: AppliedWatch,
  events: number,
  allAppliedAt: number,
): ThroughputAndLatency {
  const count = timeline.starts.length;
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const applied = watch.appliedAt(timeline.nextOffsets[i] as number) ?? allAppliedAt;
    latencies[i] = applied - (timeline.starts[i] as number);
  }
  latencies.sort();
  const acks = new Float64Array(count);
  for (let i = 0; i < count; i++) acks[i] = (timeline.acks[i] as number) - (timeline.starts[i] as number);
  acks.sort();
  const first = timeline.starts[0] ?? allAppliedAt;
  return {
    eventsPerSecond: ratePerSecond(events, allAppliedAt - first),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ackP99Ms: percentile(acks, 99),
  };
}
