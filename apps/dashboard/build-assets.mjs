#!/usr/bin/env node
// Builds the page into dist/apps/dashboard/public: the client bundle (with
// uPlot, no CDN: the page works offline), index.html, style.css, uPlot's CSS.
//
//   node apps/dashboard/build-assets.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(workspaceRoot, 'dist', 'apps', 'dashboard', 'public');
mkdirSync(out, { recursive: true });
await build({
  absWorkingDir: workspaceRoot,
  entryPoints: ['apps/dashboard/src/client/main.ts'],
  outfile: join(out, 'app.js'),
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  format: 'iife',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(workspaceRoot, 'apps/dashboard/src/public', file), join(out, file));
copyFileSync(join(workspaceRoot, 'node_modules/uplot/dist/uPlot.min.css'), join(out, 'uPlot.min.css'));
console.log('built dist/apps/dashboard/public');
