import type { IncomingMessage, ServerResponse } from 'node:http';
import { callUnary, type EventLogServiceClient } from '@hello-es/contracts';
import type { Logger } from '@hello-es/process';
import type { ReducerSource } from '../sources/reducer-source';
import { MAX_READ_COUNT, readEvents } from '../sources/read-events';
import type { AppendResult, EventPage } from '../view-model';
import { parseAppendBody } from './append-input';
import { grpcErrorForPage } from '../grpc-error';
import type { OriginGuard } from './origin-guard';
import type { PageTokens } from './page-token';
import { BodyTooLarge, readBody, sendError, sendJson } from './respond';

const CALL_TIMEOUT_MS = 5_000;
/** 10,000 values of 20 digits with separators fit well below this. */
export const MAX_BODY_BYTES = 512 * 1024;
export const TOKEN_HEADER = 'x-dashboard-token';

export interface ApiDependencies {
  readonly log: EventLogServiceClient;
  readonly reducers: ReadonlyMap<string, ReducerSource>;
  readonly guard: OriginGuard;
  readonly tokens: PageTokens;
  readonly logger: Logger;
}

/**
 * POST /api/append: only from one of the dashboard's own origins, with the
 * token of a page it served, a JSON body; answers 200 with the offsets or,
 * when the log refused, the gRPC status name and message (AppendResult).
 */
export async function handleAppend(req: IncomingMessage, res: ServerResponse, deps: ApiDependencies): Promise<void> {
  if (!deps.guard.allowsOrigin(req.headers.origin)) return sendError(res, 403, 'cross-origin request refused');
  const token = req.headers[TOKEN_HEADER];
  if (!deps.tokens.verify(typeof token === 'string' ? token : undefined)) return sendError(res, 403, 'missing or invalid page token: reload the page');
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendError(res, 415, 'the body must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
  } catch (error: unknown) {
    if (error instanceof BodyTooLarge) return sendError(res, 413, error.message);
    return sendError(res, 400, 'the body is not valid JSON');
  }
  const parsed = parseAppendBody(body);
  if (!parsed.ok) return sendJson(res, 400, { ok: false, code: 'INVALID_ARGUMENT', message: parsed.message } satisfies AppendResult);
  try {
    const reply = await callUnary(deps.log.append.bind(deps.log), { values: parsed.input.values, idempotencyKey: parsed.input.idempotencyKey }, { timeoutMs: CALL_TIMEOUT_MS });
    deps.logger.debug({ values: parsed.input.values.length, nextOffset: reply.nextOffset.toString() }, 'appended from the page');
    const result: AppendResult = { ok: true, firstOffset: reply.firstOffset.toString(), nextOffset: reply.nextOffset.toString(), duplicate: reply.duplicate };
    return sendJson(res, 200, result);
  } catch (error: unknown) {
    return sendJson(res, 200, { ok: false, ...grpcErrorForPage(error, 'the event log') } satisfies AppendResult);
  }
}

/**
 * GET /api/events?from=N&count=M: one page of history through Read (seek by
 * offset: as fast at offset 10,000,000 as at 0). Without `from`, the newest page.
 */
export async function handleEvents(url: URL, res: ServerResponse, deps: ApiDependencies): Promise<void> {
  const countText = url.searchParams.get('count') ?? '50';
  const fromText = url.searchParams.get('from');
  if (!/^\d{1,4}$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_READ_COUNT) {
    return sendError(res, 400, `count must be 1 to ${MAX_READ_COUNT}`);
  }
  if (fromText !== null && !/^\d{1,19}$/.test(fromText)) return sendError(res, 400, 'from must be an offset (a non-negative integer)');
  const count = Number(countText);
  try {
    const info = await callUnary(deps.log.getLogInfo.bind(deps.log), {}, { timeoutMs: CALL_TIMEOUT_MS });
    const head = info.nextOffset;
    let from = fromText === null ? head - BigInt(count) : BigInt(fromText);
    if (from < 0n) from = 0n;
    if (from > head) from = head;
    const events = from === head ? [] : await readEvents(deps.log, from, count, CALL_TIMEOUT_MS);
    return sendJson(res, 200, { head: head.toString(), from: from.toString(), events } satisfies EventPage);
  } catch (error: unknown) {
    return sendJson(res, 502, { ok: false, ...grpcErrorForPage(error, 'the event log') });
  }
}

/** GET /api/state/NAME: the last state seen of a reducer, in full ("show all" on the page). */
export function handleState(name: string, res: ServerResponse, deps: ApiDependencies): void {
  const source = deps.reducers.get(name);
  if (!source) return sendError(res, 404, `no reducer named "${name}"`);
  const view = source.cell.value;
  sendJson(res, 200, { name, value: source.fullValue(), nextOffset: view.nextOffset, connected: view.connected });
}
