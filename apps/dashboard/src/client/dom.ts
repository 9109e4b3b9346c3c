/** The element with `id`; throws when the page lacks it (a bug in index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** A new element with text (never HTML: values from the servers are shown as text). */
export function el(tag: string, className = '', text = ''): HTMLElement {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}

export function setBadge(element: HTMLElement, kind: 'ok' | 'down' | 'lag', text: string): void {
  element.className = `badge ${kind}`;
  element.textContent = text;
}

export function timeOf(ms: number): string {
  return ms ? new Date(ms).toLocaleTimeString() : '–';
}

/** An append time as the tables show it: UTC time of day to the millisecond. */
export function shortTime(iso: string): string {
  return iso ? iso.slice(11, 23) : '–';
}

/** A header row's cells, replaced only when they change (the table is refreshed every second). */
export function fillHeader(row: HTMLElement, headers: readonly string[]): void {
  const current = Array.from(row.children, (cell) => cell.textContent ?? '');
  if (current.join('\u0000') === headers.join('\u0000')) return;
  row.replaceChildren(...headers.map((header) => el('th', '', header)));
}

/** Rows of cells as a table body's content. */
export function fillRows(body: HTMLElement, rows: readonly (readonly string[])[]): void {
  body.replaceChildren(
    ...rows.map((cells) => {
      const row = el('tr');
      for (const cell of cells) row.append(el('td', '', cell));
      return row;
    }),
  );
}
