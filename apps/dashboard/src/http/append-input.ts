/** The same integer rules as the CLI: exact signed 64-bit values, as text, never through Number. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
/** The event log's own limits (apps/eventlog service/validation.ts and EVENTLOG_MAX_APPEND_VALUES' default). */
export const MAX_VALUES = 10_000;
export const MAX_KEY_BYTES = 128;

export interface AppendInput {
  readonly values: bigint[];
  readonly idempotencyKey: string;
}

export type ParsedAppend = { readonly ok: true; readonly input: AppendInput } | { readonly ok: false; readonly message: string };

/**
 * Validates the JSON body of POST /api/append: `values`, a string of integers
 * separated by spaces or commas (or an array of such strings), and an
 * optional `idempotencyKey` of at most 128 bytes. Numbers given as JSON
 * numbers are refused: above 2^53 they have already lost digits.
 */
export function parseAppendBody(body: unknown): ParsedAppend {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('the body must be a JSON object');
  const { values, idempotencyKey } = body as Record<string, unknown>;
  let items: string[];
  if (typeof values === 'string') items = values.split(/[\s,]+/).filter((item) => item !== '');
  else if (Array.isArray(values) && values.every((item): item is string => typeof item === 'string')) items = values.map((item) => item.trim());
  else return fail('values must be a string of integers (or an array of strings)');
  if (items.length === 0) return fail('give at least one integer');
  if (items.length > MAX_VALUES) return fail(`at most ${MAX_VALUES} values per append, got ${items.length}`);
  const parsed: bigint[] = [];
  for (const item of items) {
    if (!/^-?\d+$/.test(item)) return fail(`"${clip(item)}" is not an integer`);
    const value = BigInt(item);
    if (value < INT64_MIN || value > INT64_MAX) return fail(`${clip(item)} is outside the signed 64-bit range`);
    parsed.push(value);
  }
  if (idempotencyKey !== undefined && typeof idempotencyKey !== 'string') return fail('idempotencyKey must be a string');
  const key = (idempotencyKey ?? '').trim();
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return fail(`idempotencyKey must be at most ${MAX_KEY_BYTES} bytes`);
  return { ok: true, input: { values: parsed, idempotencyKey: key } };
}

function fail(message: string): ParsedAppend {
  return { ok: false, message };
}

/** An item quoted in an error, cut so a megabyte of digits does not come back whole. */
function clip(item: string): string {
  return item.length > 40 ? `${item.slice(0, 40)}…` : item;
}
