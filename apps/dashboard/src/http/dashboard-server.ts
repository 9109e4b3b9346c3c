import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Update } from '../cells/flusher';
import type { PageRegistry } from '../sse/page-registry';
import { handleStream } from '../sse/sse-route';
import { handleAppend, handleEvents, handleState, type ApiDependencies } from './api-routes';
import { SECURITY_HEADERS, sendError } from './respond';
import { TOKEN_PLACEHOLDER, type StaticAsset } from './static-assets';

export interface ServerDependencies extends ApiDependencies {
  readonly assets: ReadonlyMap<string, StaticAsset>;
  readonly pages: PageRegistry;
  readonly snapshot: () => Update;
}

/** The request handler: the page, its assets, the SSE stream and the JSON API. */
export function createDashboardServer(deps: ServerDependencies): Server {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      deps.logger.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) sendError(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // SSE streams are long; only idle keep-alive sockets are closed.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDependencies): Promise<void> {
  if (!deps.guard.allowsHost(req.headers.host)) return sendError(res, 421, 'unknown Host: open the dashboard at its own address');
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  const method = req.method ?? 'GET';
  if (url.pathname === '/api/append') {
    if (method !== 'POST') return sendError(res, 405, 'POST only');
    return handleAppend(req, res, deps);
  }
  if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'GET only');
  if (url.pathname === '/api/stream') return handleStream(req, res, deps.pages, deps.snapshot);
  if (url.pathname === '/api/events') return handleEvents(url, res, deps);
  const state = /^\/api\/state\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
  if (state) return handleState(state[1] ?? '', res, deps);
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204, SECURITY_HEADERS);
    return void res.end();
  }
  const asset = deps.assets.get(url.pathname);
  if (!asset) return sendError(res, 404, 'not found');
  const body = url.pathname === '/' ? Buffer.from(asset.body.toString('utf8').replace(TOKEN_PLACEHOLDER, deps.tokens.issue())) : asset.body;
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type, 'cache-control': url.pathname === '/' ? 'no-store' : 'no-cache' });
  res.end(method === 'HEAD' ? undefined : body);
}
