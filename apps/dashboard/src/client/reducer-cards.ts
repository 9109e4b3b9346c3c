import type { ReducerView } from '../view-model';
import { el, setBadge, timeOf } from './dom';

interface Card {
  readonly root: HTMLElement;
  readonly status: HTMLElement;
  readonly value: HTMLElement;
  readonly staleNote: HTMLElement;
  readonly digits: HTMLElement;
  readonly showAll: HTMLButtonElement;
  readonly nextOffset: HTMLElement;
  readonly lag: HTMLElement;
  readonly error: HTMLElement;
  /** The full value fetched with "show all", valid for `fullAt` (its next offset). */
  full: string;
  fullAt: string;
}

/**
 * One card per reducer: its exact state, next offset, lag behind the head and
 * whether it is connected and caught up. A state from a reducer that is down
 * (or while the page hears nothing from the dashboard) is struck through and
 * labelled stale, never shown as current.
 */
export class ReducerCards {
  private readonly cards = new Map<string, Card>();

  constructor(private readonly container: HTMLElement) {}

  render(view: ReducerView, head: bigint | undefined, headLogId: string, pageLive: boolean): void {
    const card = this.cards.get(view.name) ?? this.create(view.name);
    const current = view.connected && pageLive;
    card.root.classList.toggle('stale', !current && view.updatedAt > 0);
    if (!pageLive) setBadge(card.status, 'down', 'unknown');
    else if (!view.connected) setBadge(card.status, 'down', 'down');
    else setBadge(card.status, 'ok', 'connected');
    const showFull = card.full !== '' && card.fullAt === view.nextOffset;
    card.value.textContent = view.updatedAt === 0 ? '–' : showFull ? card.full : view.value;
    card.digits.textContent = view.shortened ? `${view.digits} digits${showFull ? '' : ' (shortened)'}` : '';
    card.showAll.hidden = !view.shortened || showFull;
    card.staleNote.textContent = current || view.updatedAt === 0 ? '' : `stale: last state seen ${timeOf(view.updatedAt)}`;
    card.nextOffset.textContent = `next offset ${view.nextOffset || '–'}`;
    card.lag.replaceChildren(this.lagBadge(view, head, headLogId, current));
    card.error.textContent = view.connected ? '' : view.error;
  }

  private lagBadge(view: ReducerView, head: bigint | undefined, headLogId: string, current: boolean): HTMLElement {
    const badge = el('span', '', '');
    badge.dataset['testid'] = `reducer-lag-${view.name}`;
    if (!current || head === undefined || view.nextOffset === '' || view.logId !== headLogId) {
      setBadge(badge, 'down', 'lag unknown');
      return badge;
    }
    const lag = head - BigInt(view.nextOffset);
    if (lag <= 0n) setBadge(badge, 'ok', 'caught up');
    else setBadge(badge, 'lag', `lag ${lag}`);
    return badge;
  }

  private create(name: string): Card {
    const root = el('div', 'reducer');
    root.dataset['testid'] = `reducer-${name}`;
    const title = el('div', 'title', name);
    const status = el('span', 'badge down', 'connecting');
    status.dataset['testid'] = `reducer-status-${name}`;
    title.append(status);
    const value = el('div', 'value', '–');
    value.dataset['testid'] = `reducer-value-${name}`;
    const staleNote = el('div', 'stale-note');
    staleNote.dataset['testid'] = `reducer-stale-${name}`;
    const meta = el('div', 'meta');
    const digits = el('span');
    digits.dataset['testid'] = `reducer-digits-${name}`;
    const showAll = el('button', '', 'show all') as HTMLButtonElement;
    showAll.type = 'button';
    showAll.dataset['testid'] = `reducer-show-all-${name}`;
    const nextOffset = el('span');
    nextOffset.dataset['testid'] = `reducer-next-${name}`;
    const lag = el('span');
    meta.append(nextOffset, lag, digits, showAll);
    const error = el('div', 'error');
    root.append(title, value, staleNote, meta, error);
    this.container.append(root);
    const card: Card = { root, status, value, staleNote, digits, showAll, nextOffset, lag, error, full: '', fullAt: '' };
    showAll.addEventListener('click', () => void this.fetchFull(name, card));
    this.cards.set(name, card);
    return card;
  }

  private async fetchFull(name: string, card: Card): Promise<void> {
    const reply = await fetch(`/api/state/${encodeURIComponent(name)}`);
    const body = (await reply.json()) as { value: string; nextOffset: string };
    card.full = body.value;
    card.fullAt = body.nextOffset;
    card.value.textContent = body.value;
    card.showAll.hidden = true;
  }
}
