import { replicasText, subscriptionsTable } from './panel-text';
import type { SubscriptionRow } from './view-model';

const row = (name: string, gateway: string): SubscriptionRow => ({
  name,
  peer: 'ipv4:127.0.0.1:40000',
  nextOffset: '7',
  lag: '0',
  since: '2026-12-02T16:00:00.123Z',
  gateway,
});
const time = (iso: string): string => iso.slice(11, 23);

describe('the log panel', () => {
  it('says how many copies an acknowledged event has: the replicas, "in memory only", or unknown', () => {
    expect(replicasText({ storage: 'jetstream', replicas: 3 })).toBe('3');
    expect(replicasText({ storage: 'file', replicas: 1 })).toBe('1');
    expect(replicasText({ storage: 'memory', replicas: 0 })).toBe('0 (in memory only)');
    // Before the first GetLogInfo, or a server without the field.
    expect(replicasText({ storage: '', replicas: 0 })).toBe('–');
    expect(replicasText({ storage: 'file', replicas: 0 })).toBe('–');
  });
});

describe('the subscriptions table', () => {
  it('names the gateway of each subscription, "–" for a row that does not say', () => {
    const table = subscriptionsTable([row('adder', '127.0.0.1:50052'), row('dashboard', '127.0.0.1:50051'), row('old', '')], time);
    expect(table.headers).toEqual(['name', 'peer', 'next offset', 'lag', 'since (UTC)', 'gateway']);
    expect(table.rows.map((cells) => [cells[0], cells[5]])).toEqual([
      ['adder', '127.0.0.1:50052'],
      ['dashboard', '127.0.0.1:50051'],
      ['old', '–'],
    ]);
    expect(table.rows[0]).toEqual(['adder', 'ipv4:127.0.0.1:40000', '7', '0', '16:00:00.123', '127.0.0.1:50052']);
  });

  it('has no gateway column when no row names one (a server that predates the field)', () => {
    const table = subscriptionsTable([row('adder', ''), row('dashboard', '')], time);
    expect(table.headers).not.toContain('gateway');
    expect(table.rows.every((cells) => cells.length === 5)).toBe(true);
    expect(subscriptionsTable([], time).headers).toHaveLength(5);
  });
});
