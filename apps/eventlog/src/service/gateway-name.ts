import { hostname } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * How ListSubscriptions names this server (`Subscription.gateway`): the
 * address it listens on, except that a wildcard host (0.0.0.0, [::]) says
 * nothing about which machine it is, so the host name stands in for it.
 */
export function gatewayName(address: string, host: string = hostname()): string {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return address;
  const [listenHost, port] = [address.slice(0, colon), address.slice(colon + 1)];
  return WILDCARDS.has(listenHost) ? `${host}:${port}` : address;
}
