import type { LogView, SubscriptionRow } from './view-model';

/**
 * What the log panel and the subscriptions table say, as plain functions of
 * the view model: the page renders them (`client/main.ts`), the unit tests
 * check them without a browser.
 */

/** The "replicas" fact: how many copies an acknowledged event has. */
export function replicasText(log: Pick<LogView, 'storage' | 'replicas'>): string {
  if (log.replicas > 0) return String(log.replicas);
  if (log.storage === 'memory') return '0 (in memory only)';
  // Before the first answer, or a server that predates the field.
  return '–';
}

export interface SubscriptionsTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const HEADERS = ['name', 'peer', 'next offset', 'lag', 'since (UTC)'];

/**
 * The subscriptions table. The "gateway" column (which event log server
 * serves each subscription: over JetStream, ListSubscriptions lists every
 * gateway's) is there whenever a row names its gateway, with "–" for a row
 * that does not; a server that predates the field gets no empty column.
 */
export function subscriptionsTable(rows: readonly SubscriptionRow[], timeText: (iso: string) => string): SubscriptionsTable {
  const withGateway = rows.some((row) => row.gateway !== '');
  return {
    headers: withGateway ? [...HEADERS, 'gateway'] : HEADERS,
    rows: rows.map((row) => {
      const cells = [row.name, row.peer, row.nextOffset, row.lag, timeText(row.since)];
      return withGateway ? [...cells, row.gateway || '–'] : cells;
    }),
  };
}
