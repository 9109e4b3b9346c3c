import type { Reducer } from '@hello-es/reducer-runtime';

/** The product of every event's value. */
export const multiplier: Reducer = { name: 'multiplier', initial: 1n, apply: (state, value) => state * value };
