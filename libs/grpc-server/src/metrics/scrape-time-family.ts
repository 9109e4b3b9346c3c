import type { Metric, Registry } from 'prom-client';

/** One sample line: `name{labels} value`. */
export interface FamilySample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  /** For histograms: `<name>_bucket`, `<name>_sum`, `<name>_count`. */
  readonly metricName?: string;
}

export interface FamilyDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** Called at each scrape. */
  samples(): readonly FamilySample[];
}

/**
 * Registers a metric family whose samples are built at scrape time from plain
 * numbers the caller keeps. For the per-RPC path: a prom-client child's
 * `inc()`/`observe()` hashes its label set on every call (about 0.3-0.5 µs
 * each here), a field increment costs nothing measurable. The registry
 * formats it like its own metrics (it calls `get()`, as for any metric).
 */
export function registerScrapeTimeFamily(registry: Registry, definition: FamilyDefinition): void {
  const family = {
    name: definition.name,
    help: definition.help,
    type: definition.type,
    aggregator: 'sum',
    get: () => ({ name: definition.name, help: definition.help, type: definition.type, aggregator: 'sum', values: definition.samples() }),
  };
  registry.registerMetric(family as unknown as Metric);
}

/** A histogram's state as plain numbers: counts per bucket (not cumulative), sum and count. */
export class HistogramCells {
  private readonly counts: Float64Array;
  private total = 0;
  private observations = 0;

  constructor(private readonly buckets: readonly number[]) {
    this.counts = new Float64Array(buckets.length);
  }

  observe(value: number): void {
    const buckets = this.buckets;
    for (let index = 0; index < buckets.length; index += 1) {
      if (value <= (buckets[index] as number)) {
        this.counts[index] = (this.counts[index] as number) + 1;
        break;
      }
    }
    this.total += value;
    this.observations += 1;
  }

  /** The `_bucket` (cumulative, with `le`), `_sum` and `_count` samples of `name` with `labels`. */
  samples(name: string, labels: Readonly<Record<string, string>>): FamilySample[] {
    const samples: FamilySample[] = [];
    let cumulative = 0;
    this.buckets.forEach((bucket, index) => {
      cumulative += this.counts[index] as number;
      samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bucket }, value: cumulative });
    });
    samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: this.observations });
    samples.push({ metricName: `${name}_sum`, labels, value: this.total });
    samples.push({ metricName: `${name}_count`, labels, value: this.observations });
    return samples;
  }
}
