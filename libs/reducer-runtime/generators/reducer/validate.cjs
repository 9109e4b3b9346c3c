// @ts-check
'use strict';

/** Names that belong to the system itself, not to a read model. */
const RESERVED = new Set(['eventlog', 'event-log', 'cli', 'dashboard', 'hello-es', 'reducer', 'reducer-runtime', 'process', 'apps', 'libs', 'tools']);

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Why `name` cannot be a new reducer, or undefined if it can.
 * @param {string} name
 * @param {{ projects: string[]; knownReducers: string[]; appExists: boolean }} existing
 * @returns {string | undefined}
 */
function validateName(name, existing) {
  if (typeof name !== 'string' || !KEBAB.test(name)) {
    return `reducer name "${name}" is not kebab-case: use lowercase letters and digits, words joined by single dashes, starting with a letter (e.g. "sum-of-squares")`;
  }
  if (name.length > 40) return `reducer name "${name}" is longer than 40 characters`;
  if (RESERVED.has(name)) return `reducer name "${name}" is reserved for the system itself; pick another`;
  if (existing.knownReducers.includes(name)) return `a reducer named "${name}" exists already (libs/contracts/src/known-reducers.json)`;
  if (existing.projects.includes(name) || existing.appExists) return `a project named "${name}" exists already (apps/${name})`;
  return undefined;
}

/**
 * Checks that `initial` is a bigint expression and `apply` an expression over
 * `state` and `value` giving a bigint, by folding the post's log 1,1,1,1,2
 * with them; returns that fold as the generated unit test's expectation.
 * @param {string} initial
 * @param {string} apply
 * @returns {{ folded?: string; error?: string }}
 */
function checkExpressions(initial, apply) {
  let state;
  try {
    state = new Function(`return (${initial});`)();
  } catch (error) {
    return { error: `--initial "${initial}" is not a valid expression: ${error.message}` };
  }
  if (typeof state !== 'bigint') return { error: `--initial "${initial}" must be a bigint (e.g. 0n), got ${typeof state}` };
  let step;
  try {
    step = new Function('state', 'value', `return (${apply});`);
  } catch (error) {
    return { error: `--apply "${apply}" is not a valid expression over state and value: ${error.message}` };
  }
  try {
    for (const value of [1n, 1n, 1n, 1n, 2n]) {
      state = step(state, value);
      if (typeof state !== 'bigint') return { error: `--apply "${apply}" must give a bigint, got ${typeof state}` };
    }
  } catch (error) {
    return { error: `--apply "${apply}" failed on the values 1,1,1,1,2: ${error.message}` };
  }
  return { folded: state.toString() };
}

module.exports = { validateName, checkExpressions, RESERVED };
