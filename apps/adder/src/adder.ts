import type { Reducer } from '@hello-es/reducer-runtime';

/** The sum of every event's value. */
export const adder: Reducer = { name: 'adder', initial: 0n, apply: (state, value) => state + value };
