/** How much each workload does; --quick shrinks everything. */
export interface Sizes {
  /** W1 with 1 in flight: single-value appends. */
  readonly w1SingleAppends: number;
  /** W1 with 64 in flight: single-value appends. */
  readonly w1WindowAppends: number;
  /** In-flight window of W1 and W1b. */
  readonly window: number;
  /** W1b: appends of `batchValues` values each. */
  readonly w1bAppends: number;
  readonly batchValues: number;
  /** W2: events stored before the fresh Subscribe and the fresh adder. */
  readonly w2Events: number;
  /** M: events stored before measuring the eventlog's RSS. */
  readonly mEvents: number;
  readonly mIdleSubscribers: number;
  /** M: events appended while the stuck subscriber does not read. */
  readonly mStuckEvents: number;
  /** JetStream: publishes with ack for W1 (1 and 64 in flight). */
  readonly jsSinglePublishes: number;
  readonly jsWindowPublishes: number;
  /** JetStream W1b: messages of `batchValues` values each (JetStream 2.9 has no multi-message append). */
  readonly jsBatches: number;
  /** JetStream W2: single-value messages stored, then replayed by a fresh ordered consumer. */
  readonly jsReplayMessages: number;
  /** Redis (appendfsync always): XADDs for W1, 1 and 64 in flight. */
  readonly redisSingleAppends: number;
  readonly redisWindowAppends: number;
  /** W1 over AppendStream: single-value appends, 1 and 64 in flight (also the bare bidi reference). */
  readonly w1StreamSingleAppends: number;
  readonly w1StreamWindowAppends: number;
}

export const FULL_SIZES: Sizes = {
  w1SingleAppends: 3_000,
  w1WindowAppends: 100_000,
  window: 64,
  w1bAppends: 1_000,
  batchValues: 1_000,
  w2Events: 1_000_000,
  mEvents: 10_000_000,
  mIdleSubscribers: 100,
  mStuckEvents: 1_000_000,
  jsSinglePublishes: 2_000,
  jsWindowPublishes: 30_000,
  jsBatches: 1_000,
  jsReplayMessages: 200_000,
  redisSingleAppends: 2_000,
  redisWindowAppends: 30_000,
  w1StreamSingleAppends: 3_000,
  w1StreamWindowAppends: 100_000,
};

export const QUICK_SIZES: Sizes = {
  w1SingleAppends: 200,
  w1WindowAppends: 5_000,
  window: 64,
  w1bAppends: 50,
  batchValues: 1_000,
  w2Events: 100_000,
  mEvents: 500_000,
  mIdleSubscribers: 20,
  mStuckEvents: 100_000,
  jsSinglePublishes: 200,
  jsWindowPublishes: 3_000,
  jsBatches: 50,
  jsReplayMessages: 20_000,
  redisSingleAppends: 200,
  redisWindowAppends: 3_000,
  w1StreamSingleAppends: 200,
  w1StreamWindowAppends: 5_000,
};
