import type { LogView, RateView, RecentEventsView, ReducerView, ServerView, SubscriptionsView } from '../view-model';
import { REDUCER_TOPIC_PREFIX } from '../view-model';
import { AppendForm } from './append-form';
import { replicasText, subscriptionsTable } from '../panel-text';
import { byId, fillHeader, fillRows, setBadge, shortTime, timeOf } from './dom';
import { HistoryPager } from './history-pager';
import { RateChart } from './rate-chart';
import { ReducerCards } from './reducer-cards';

/** Without a message for this long (the server sends its clock every second) the page marks everything stale. */
const SILENCE_MS = 4_000;

type Topics = Record<string, unknown>;

const token = document.querySelector<HTMLMetaElement>('meta[name="page-token"]')?.content ?? '';
const topics: Topics = {};
let reducerNames: string[] = [];
let lastMessageAt = 0;
let pageLive = false;

const cards = new ReducerCards(byId('reducers'));
const form = new AppendForm(token, () => reducerNames, (name) => topics[REDUCER_TOPIC_PREFIX + name] as ReducerView | undefined);
const pager = new HistoryPager();
const chart = new RateChart(byId('rate-chart'));

function logView(): LogView | undefined {
  return topics['log'] as LogView | undefined;
}

function currentHead(): { head: bigint | undefined; logId: string } {
  const log = logView();
  if (!log || !log.connected || !pageLive || log.head === '') return { head: undefined, logId: '' };
  return { head: BigInt(log.head), logId: log.logId };
}

function renderLog(): void {
  const log = logView();
  if (!log) return;
  const live = log.connected && pageLive;
  if (!pageLive) setBadge(byId('log-status'), 'down', 'unknown');
  else if (log.connected) setBadge(byId('log-status'), 'ok', 'connected');
  else setBadge(byId('log-status'), 'down', 'down');
  const headEl = byId('log-head');
  headEl.textContent = log.head === '' ? '–' : log.head;
  headEl.classList.toggle('stale', !live);
  byId('log-id').textContent = log.logId || '–';
  byId('log-storage').textContent = log.storage || '–';
  byId('log-replicas').textContent = replicasText(log);
  byId('log-address').textContent = log.address;
  byId('log-error').textContent = log.connected ? '' : `${log.error} (since ${timeOf(log.since)})`;
}

function renderReducers(): void {
  const { head, logId } = currentHead();
  for (const name of reducerNames) {
    const view = topics[REDUCER_TOPIC_PREFIX + name] as ReducerView | undefined;
    if (view) cards.render(view, head, logId, pageLive);
  }
}

function renderSubscriptions(): void {
  const view = topics['subscriptions'] as SubscriptionsView | undefined;
  if (!view) return;
  const body = byId('subscriptions');
  const table = subscriptionsTable(view.rows, shortTime);
  fillHeader(byId('subscriptions-head'), table.headers);
  fillRows(body, table.rows);
  const current = view.ok && pageLive;
  body.classList.toggle('stale', !current);
  setBadge(byId('subscriptions-status'), current ? 'ok' : 'down', current ? `updated ${timeOf(view.updatedAt)}` : 'stale');
}

function renderRecent(): void {
  const view = topics['recent'] as RecentEventsView | undefined;
  if (!view) return;
  const body = byId('recent-events');
  fillRows(body, view.events.map((event) => [event.offset, event.value, shortTime(event.time)]));
  body.classList.toggle('stale', !(logView()?.connected && pageLive));
}

function renderPage(): void {
  setBadge(byId('page-status'), pageLive ? 'ok' : 'down', pageLive ? 'live' : 'dashboard unreachable: nothing below is current');
  renderLog();
  renderReducers();
  renderSubscriptions();
  renderRecent();
}

function apply(update: Topics): void {
  if (Array.isArray(update['reducers'])) reducerNames = update['reducers'] as string[];
  Object.assign(topics, update);
  lastMessageAt = Date.now();
  pageLive = true;
  renderPage();
  if (update['rate']) chart.render(update['rate'] as RateView);
  const log = logView();
  if (log?.connected && log.head !== '') pager.headChanged(log.head);
  for (const [topic, value] of Object.entries(update)) {
    if (topic.startsWith(REDUCER_TOPIC_PREFIX)) form.reducerChanged(value as ReducerView);
  }
  void (update['server'] as ServerView | undefined);
}

const stream = new EventSource('/api/stream');
stream.addEventListener('update', (event) => apply(JSON.parse((event as MessageEvent<string>).data) as Topics));
stream.addEventListener('error', () => {
  pageLive = false;
  renderPage();
});
setInterval(() => {
  if (pageLive && Date.now() - lastMessageAt > SILENCE_MS) {
    pageLive = false;
    renderPage();
  }
}, 1_000);
void pager.load(undefined);
