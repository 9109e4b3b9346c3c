import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The page's files (built by `nx build dashboard` into dist/apps/dashboard/public). */
const FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/app.js.map': 'app.js.map',
  '/style.css': 'style.css',
  '/uPlot.min.css': 'uPlot.min.css',
};

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

export interface StaticAsset {
  readonly body: Buffer;
  readonly type: string;
}

/** Where index.html takes the per-page token. */
export const TOKEN_PLACEHOLDER = '__PAGE_TOKEN__';

/**
 * Loads the page's files once at start (they are small: the page is about
 * 60 KB with uPlot). Throws naming the folder when they were not built.
 */
export function loadStaticAssets(publicDir: string): ReadonlyMap<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [path, file] of Object.entries(FILES)) {
    let body: Buffer;
    try {
      body = readFileSync(join(publicDir, file));
    } catch {
      throw new Error(`the page's files are missing from ${publicDir}: run "npx nx build dashboard"`);
    }
    assets.set(path, { body, type: TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream' });
  }
  return assets;
}
