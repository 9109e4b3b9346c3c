import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from '../cells/flusher';
import { SECURITY_HEADERS, sendError } from '../http/respond';
import type { PageRegistry } from './page-registry';
import { sseMessage } from './page-writer';

/**
 * GET /api/stream: one Server-Sent Events stream per page. The first message
 * is every topic's current value; then only what changed, coalesced by the
 * flusher. Answers 503 when `maxPages` pages are open already.
 */
export function handleStream(req: IncomingMessage, res: ServerResponse, pages: PageRegistry, snapshot: () => Update): void {
  const page = pages.open(res);
  if (!page) return sendError(res, 503, `the dashboard serves at most ${pages.maxPages} pages at once`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Tell proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  // The browser reconnects after 1 s if the stream breaks.
  res.write('retry: 1000\n\n');
  const first = snapshot();
  page.send(first, sseMessage(first));
  const close = (): void => pages.remove(page);
  req.on('close', close);
  res.on('close', close);
}
