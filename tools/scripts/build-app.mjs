#!/usr/bin/env node
// Bundles one app into dist/apps/NAME/main.js (the @hello-es/* libs inlined,
// npm packages left external), so it runs with plain `node`.
//
//   node tools/scripts/build-app.mjs NAME
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const name = process.argv[2];
if (!name) {
  console.error('usage: build-app.mjs NAME');
  process.exit(2);
}
const entry = process.argv[3] ?? join('apps', name, 'src', 'main.ts');
await build({
  absWorkingDir: workspaceRoot,
  entryPoints: [entry],
  outfile: join('dist', 'apps', name, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  tsconfig: 'tsconfig.base.json',
  logLevel: 'warning',
});
console.log(`built dist/apps/${name}/main.js`);
