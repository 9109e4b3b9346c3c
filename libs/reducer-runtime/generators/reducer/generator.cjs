// @ts-check
// `npx nx g @hello-es/reducer-runtime:reducer <name> [--initial EXPR] [--apply EXPR] [--dry-run]`
// Creates apps/<name> like apps/adder, gives it the next free default port in
// libs/contracts/src/known-reducers.json (which the CLI, the dashboard and the
// README's table read), and adds it to the README's list of reducers.
//
// Plain CommonJS on purpose: Nx loads a local generator with Node's own loader,
// and Node 20 cannot strip TypeScript types without ts-node or @swc-node.
'use strict';
const path = require('node:path');
const { generateFiles, getProjects, names, readJson, writeJson } = require('@nx/devkit');
const { checkExpressions, validateName } = require('./validate.cjs');

const KNOWN_REDUCERS = 'libs/contracts/src/known-reducers.json';
const README = 'README.md';
const TABLE_START = '<!-- reducers:start -->';
const TABLE_END = '<!-- reducers:end -->';

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string; initial?: string; apply?: string }} options
 */
async function reducerGenerator(tree, options) {
  const name = options.name;
  const initial = options.initial ?? '0n';
  const apply = options.apply ?? 'state + value';
  /** @type {{ name: string; listen: string }[]} */
  const known = readJson(tree, KNOWN_REDUCERS);
  const projects = [...getProjects(tree).keys()];
  const refusal = validateName(name, {
    projects,
    knownReducers: known.map((reducer) => reducer.name),
    appExists: tree.exists(`apps/${name}`),
  });
  if (refusal) throw new Error(refusal);
  const { folded, error } = checkExpressions(initial, apply);
  if (error) throw new Error(error);

  const listen = nextFreeListenAddress(known);
  const { className, propertyName, constantName } = names(name);
  generateFiles(tree, path.join(__dirname, 'files'), `apps/${name}`, {
    name,
    className,
    propertyName,
    listenVariable: `${constantName}_LISTEN`,
    urlVariable: `${constantName}_URL`,
    listen,
    initial,
    apply,
    folded,
    tmpl: '',
  });
  writeJson(tree, KNOWN_REDUCERS, [...known, { name, listen }]);
  addToReadme(tree, { name, listen, listenVariable: `${constantName}_LISTEN`, initial, apply });
}

/** One past the highest default port in use, on the same host. */
function nextFreeListenAddress(known) {
  const ports = known.map((reducer) => Number(reducer.listen.slice(reducer.listen.lastIndexOf(':') + 1)));
  const host = known[0]?.listen.slice(0, known[0].listen.lastIndexOf(':')) ?? '127.0.0.1';
  return `${host}:${Math.max(50052, ...ports) + 1}`;
}

function addToReadme(tree, { name, listen, listenVariable, initial, apply }) {
  if (!tree.exists(README)) return;
  const text = tree.read(README, 'utf-8') ?? '';
  const end = text.indexOf(TABLE_END);
  if (text.indexOf(TABLE_START) < 0 || end < 0) return;
  const row = `| \`${name}\` | \`${listen}\` (\`${listenVariable}\`) | \`${initial}\`, \`${apply.replace(/\|/g, '\\|')}\` |\n`;
  tree.write(README, text.slice(0, end) + row + text.slice(end));
}

module.exports = reducerGenerator;
module.exports.default = reducerGenerator;
