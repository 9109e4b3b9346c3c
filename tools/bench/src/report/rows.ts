/** The unit of a figure; it decides how numbers are printed. */
export type Unit = 'events/s' | 'ms' | 'MB' | 's' | 'µs';

/** A target from issue 5 or issue 12, checked on the medians. */
export interface Target {
  readonly text: string;
  /** The median must be at least this. */
  readonly atLeast?: number;
  /** The median must be below this. */
  readonly below?: number;
  /** The median must be at most this. */
  readonly atMost?: number;
  /** ours/limit must be at least this share. */
  readonly minShareOfLimit?: number;
  /** ours/JetStream must be at least this. */
  readonly minRatioToPeer?: number;
  /** ours/Redis must be at least this. */
  readonly minRatioToRedis?: number;
}

/** One line of a workload's table. */
export interface Row {
  readonly workload: string;
  readonly label: string;
  readonly unit: Unit;
  /** Figure id of our measurement. */
  readonly ours: string;
  /** The machine's limit for the same work (a bare script or bare grpc-js). */
  readonly limit?: { readonly name: string; readonly id: string };
  /** Figure id of JetStream's measurement of the same work. */
  readonly peer?: string;
  /** Figure id of Redis Streams' (appendfsync always) measurement of the same work. */
  readonly redis?: string;
  readonly target?: Target;
}

/** A figure measured for reference only (the limits and the peer). */
export interface ReferenceRow {
  readonly label: string;
  readonly unit: Unit;
  readonly id: string;
}
