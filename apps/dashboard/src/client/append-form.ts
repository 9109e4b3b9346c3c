import type { AppendResult, ReducerView } from '../view-model';
import { byId, el } from './dom';

interface PendingAppend {
  readonly nextOffset: bigint;
  readonly startedAt: number;
  readonly items: Map<string, HTMLElement>;
}

/**
 * The append form: POSTs the integers as text (they stay exact), shows the
 * offsets or the gRPC status and message inline, then, with read-your-writes,
 * the moment each reducer's next offset passes the append's next offset.
 */
export class AppendForm {
  private pending: PendingAppend | undefined;

  constructor(
    private readonly token: string,
    private readonly reducerNames: () => readonly string[],
    /** The latest view of a reducer: the state may have passed the append before its answer reached the page. */
    private readonly reducerView: (name: string) => ReducerView | undefined,
  ) {
    byId<HTMLFormElement>('append-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  /** Called with every reducer update: marks the reducer as having applied the pending append. */
  reducerChanged(view: ReducerView): void {
    const pending = this.pending;
    const item = pending?.items.get(view.name);
    if (!pending || !item || item.dataset['applied'] === 'true') return;
    if (!view.connected || view.nextOffset === '') {
      item.textContent = `${view.name}: waiting (down: ${view.error || 'not connected'})`;
      return;
    }
    if (BigInt(view.nextOffset) < pending.nextOffset) return;
    item.dataset['applied'] = 'true';
    item.className = 'applied';
    item.textContent = `${view.name}: applied (next offset ${view.nextOffset}) after ${Date.now() - pending.startedAt} ms`;
  }

  private async submit(): Promise<void> {
    const values = byId<HTMLInputElement>('append-values').value;
    const idempotencyKey = byId<HTMLInputElement>('append-key').value;
    const result = byId('append-result');
    const applied = byId('append-applied');
    const button = byId<HTMLButtonElement>('append-button');
    button.disabled = true;
    result.className = '';
    result.textContent = 'appending…';
    applied.replaceChildren();
    this.pending = undefined;
    const startedAt = Date.now();
    try {
      const reply = await fetch('/api/append', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-dashboard-token': this.token },
        body: JSON.stringify({ values, idempotencyKey }),
      });
      const body = (await reply.json()) as AppendResult;
      if (!body.ok) {
        result.className = 'failed';
        result.textContent = `${body.code}: ${body.message}`;
        return;
      }
      const last = BigInt(body.nextOffset) - 1n;
      const range = body.firstOffset === last.toString() ? `offset ${last}` : `offsets ${body.firstOffset}..${last}`;
      result.className = 'ok';
      result.textContent = `appended at ${range}${body.duplicate ? ' (duplicate: stored before)' : ''}, next offset ${body.nextOffset}`;
      const items = new Map<string, HTMLElement>();
      for (const name of this.reducerNames()) {
        const item = el('li', '', `${name}: waiting…`);
        item.dataset['testid'] = `applied-${name}`;
        items.set(name, item);
        applied.append(item);
      }
      this.pending = { nextOffset: BigInt(body.nextOffset), startedAt, items };
      for (const name of items.keys()) {
        const view = this.reducerView(name);
        if (view) this.reducerChanged(view);
      }
    } catch {
      result.className = 'failed';
      result.textContent = 'the dashboard did not answer';
    } finally {
      button.disabled = false;
    }
  }
}
