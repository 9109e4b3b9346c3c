import type { SharedSubscription } from '../subscription-directory';

/** The most subscriptions one gateway shares (the oldest; the rest are counted in `omitted`). */
export const MAX_SHARED_PER_GATEWAY = 1_000;

/**
 * One gateway's value in the subscriptions bucket: all its open
 * subscriptions in one message, so that a refresh replaces them at once and
 * an ended subscription is gone with the next refresh. JSON, so that
 * `nats kv get HELLO_ES_SUBSCRIPTIONS <key>` shows something readable.
 * About 100 bytes plus the name per subscription: under 300 KB at the cap
 * (names are at most 256 bytes), well below NATS's 1 MiB payload.
 */
interface WireEntry {
  readonly v: 1;
  readonly gateway: string;
  readonly omitted: number;
  readonly subscriptions: readonly { readonly name: string; readonly peer: string; readonly next: string; readonly since: number }[];
}

export function encodeGatewayEntry(gateway: string, subscriptions: readonly Omit<SharedSubscription, 'gateway'>[]): Uint8Array {
  const shared = [...subscriptions].sort((a, b) => a.since.getTime() - b.since.getTime()).slice(0, MAX_SHARED_PER_GATEWAY);
  const entry: WireEntry = {
    v: 1,
    gateway,
    omitted: subscriptions.length - shared.length,
    subscriptions: shared.map((s) => ({ name: s.subscriberName, peer: s.peer, next: s.nextOffset.toString(), since: s.since.getTime() })),
  };
  return new TextEncoder().encode(JSON.stringify(entry));
}

/**
 * Reads a value another gateway wrote. The bucket is shared, so anything
 * that is not a well-formed entry (another version, a hand-written value)
 * gives undefined rather than an error that would fail the whole listing.
 */
export function decodeGatewayEntry(data: Uint8Array): SharedSubscription[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed['v'] !== 1 || typeof parsed['gateway'] !== 'string' || !Array.isArray(parsed['subscriptions'])) return undefined;
  const gateway = parsed['gateway'];
  const out: SharedSubscription[] = [];
  for (const item of parsed['subscriptions'].slice(0, MAX_SHARED_PER_GATEWAY) as unknown[]) {
    if (!isRecord(item)) return undefined;
    const { name, peer, next, since } = item;
    if (typeof name !== 'string' || typeof peer !== 'string' || typeof next !== 'string' || !/^\d{1,20}$/.test(next) || typeof since !== 'number') {
      return undefined;
    }
    out.push({ gateway, subscriberName: name, peer, nextOffset: BigInt(next), since: new Date(since) });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
