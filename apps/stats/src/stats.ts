import type { Reducer, StateCodec } from '@hello-es/reducer-runtime';

/**
 * Statistics over every event: how many, the smallest, the largest and the
 * sum, from which the exact mean follows as a reduced fraction. A read model
 * whose state is not one integer, to show the reducer runtime's state codec.
 */
export interface Stats {
  readonly count: bigint;
  readonly sum: bigint;
  /** Undefined until the first event. */
  readonly min: bigint | undefined;
  readonly max: bigint | undefined;
}

export const EMPTY_STATS: Stats = { count: 0n, sum: 0n, min: undefined, max: undefined };

export function applyStats(state: Stats, value: bigint): Stats {
  return {
    count: state.count + 1n,
    sum: state.sum + value,
    min: state.min === undefined || value < state.min ? value : state.min,
    max: state.max === undefined || value > state.max ? value : state.max,
  };
}

/** The exact mean as a reduced fraction, "-7/2", or an integer "3"; undefined without events. */
export function meanOf(state: Stats): string | undefined {
  if (state.count === 0n) return undefined;
  const divisor = gcd(state.sum < 0n ? -state.sum : state.sum, state.count);
  const numerator = state.sum / divisor;
  const denominator = state.count / divisor;
  return denominator === 1n ? numerator.toString() : `${numerator}/${denominator}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** `State.value` of the stats reducer: its JSON text, 64-bit and larger numbers as decimal strings. */
export interface StatsJson {
  readonly count: string;
  readonly sum: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly mean: string | null;
}

const DECIMAL = /^-?\d+$/;

/**
 * JSON with every number as a decimal string, so any client (a browser, jq,
 * grpcurl) reads it exactly; `mean` is derived and checked on decode.
 */
export const statsCodec: StateCodec<Stats> = {
  encode: (state) => {
    const json: StatsJson = {
      count: state.count.toString(),
      sum: state.sum.toString(),
      min: state.min?.toString() ?? null,
      max: state.max?.toString() ?? null,
      mean: meanOf(state) ?? null,
    };
    return JSON.stringify(json);
  },
  decode: (text) => {
    const json = JSON.parse(text) as Partial<Record<keyof StatsJson, unknown>>;
    const decimal = (field: keyof StatsJson): bigint => {
      const value = json[field];
      if (typeof value !== 'string' || !DECIMAL.test(value)) throw new Error(`stats field "${field}" is not a decimal string`);
      return BigInt(value);
    };
    const optional = (field: 'min' | 'max'): bigint | undefined => (json[field] === null ? undefined : decimal(field));
    const state: Stats = { count: decimal('count'), sum: decimal('sum'), min: optional('min'), max: optional('max') };
    const empty = state.count === 0n;
    if (state.count < 0n || empty !== (state.min === undefined) || empty !== (state.max === undefined)) {
      throw new Error('stats count, min and max do not agree');
    }
    if ((json.mean ?? null) !== (meanOf(state) ?? null)) throw new Error('stats mean does not match count and sum');
    return state;
  },
};

export const stats: Reducer<Stats> = { name: 'stats', initial: EMPTY_STATS, apply: applyStats, codec: statsCodec };
