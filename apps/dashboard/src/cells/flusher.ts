import type { LatestCell } from './latest-cell';

/** A topic → JSON-ready value map: one SSE "update" message. */
export type Update = Record<string, unknown>;

export const DEFAULT_FLUSH_INTERVAL_MS = 250;

/** What changed in `cells` since the last call (undefined when nothing did). */
export function collectDirty(cells: readonly LatestCell<unknown>[]): Update | undefined {
  let update: Update | undefined;
  for (const cell of cells) {
    const value = cell.takeIfDirty();
    if (value === undefined) continue;
    update ??= {};
    update[cell.topic] = value;
  }
  return update;
}

/** Every cell's current value: the first message a new page gets. */
export function snapshotOf(cells: readonly LatestCell<unknown>[]): Update {
  return Object.fromEntries(cells.map((cell) => [cell.topic, cell.value]));
}

/**
 * Sends what changed to `publish` at most once per `intervalMs` (4 times a
 * second by default), however often the cells change. Returns a stop function.
 */
export function startFlusher(
  cells: readonly LatestCell<unknown>[],
  publish: (update: Update) => void,
  intervalMs = DEFAULT_FLUSH_INTERVAL_MS,
): () => void {
  const timer = setInterval(() => {
    const update = collectDirty(cells);
    if (update) publish(update);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
