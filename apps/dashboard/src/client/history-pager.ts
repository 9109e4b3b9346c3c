import type { EventPage } from '../view-model';
import { byId, fillRows, shortTime } from './dom';

const PAGE_SIZE = 20n;

/**
 * Pages through the log with Read, by offset: newest, older, newer or from any
 * offset; never from 0 unless asked, so it stays fast on a long log.
 */
export class HistoryPager {
  private from: bigint | undefined;
  /** On the newest page, the pager follows the head (reloads at most once a second). */
  private followingNewest = true;
  private loadedHead = '';
  private lastLoadAt = 0;

  constructor() {
    byId('page-newest').addEventListener('click', () => void this.load(undefined));
    byId('page-older').addEventListener('click', () => void this.load(this.from === undefined ? undefined : this.from - PAGE_SIZE));
    byId('page-newer').addEventListener('click', () => void this.load(this.from === undefined ? undefined : this.from + PAGE_SIZE));
    byId('page-go').addEventListener('click', () => {
      const text = byId<HTMLInputElement>('page-from').value.trim();
      if (/^\d+$/.test(text)) void this.load(BigInt(text));
      else byId('page-info').textContent = 'give an offset (a non-negative integer)';
    });
  }

  /** Called with the live head: reloads the newest page when the head moved. */
  headChanged(head: string): void {
    if (!this.followingNewest || head === this.loadedHead || Date.now() - this.lastLoadAt < 1_000) return;
    void this.load(undefined);
  }

  async load(from: bigint | undefined): Promise<void> {
    this.followingNewest = from === undefined;
    this.lastLoadAt = Date.now();
    const info = byId('page-info');
    const query = from === undefined ? `count=${PAGE_SIZE}` : `from=${from < 0n ? 0n : from}&count=${PAGE_SIZE}`;
    try {
      const reply = await fetch(`/api/events?${query}`);
      const body = (await reply.json()) as EventPage & { message?: string };
      if (!reply.ok) {
        info.textContent = body.message ?? `error ${reply.status}`;
        return;
      }
      this.from = BigInt(body.from);
      this.loadedHead = body.head;
      const last = this.from + BigInt(body.events.length) - 1n;
      info.textContent = body.events.length === 0 ? `no events from ${body.from} (head ${body.head})` : `offsets ${body.from}..${last} of ${body.head}`;
      fillRows(byId('history-events'), [...body.events].reverse().map((event) => [event.offset, event.value, shortTime(event.time)]));
    } catch {
      info.textContent = 'the dashboard did not answer';
    }
  }
}
