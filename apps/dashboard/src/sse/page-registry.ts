import type { Update } from '../cells/flusher';
import { PageWriter, sseMessage, type SseSink } from './page-writer';

/** The open pages (SSE streams), at most `maxPages` of them. */
export class PageRegistry {
  private readonly pages = new Set<PageWriter>();

  constructor(readonly maxPages: number) {}

  get size(): number {
    return this.pages.size;
  }

  /** A writer for a new page, or undefined when `maxPages` are open already. */
  open(sink: SseSink): PageWriter | undefined {
    if (this.pages.size >= this.maxPages) return undefined;
    const page = new PageWriter(sink);
    this.pages.add(page);
    return page;
  }

  remove(page: PageWriter): void {
    page.close();
    this.pages.delete(page);
  }

  /** Sends `update` to every page; serialized once for all pages that keep up. */
  broadcast(update: Update): void {
    if (this.pages.size === 0) return;
    const serialized = sseMessage(update);
    for (const page of this.pages) page.send(update, serialized);
  }

  closeAll(): void {
    for (const page of this.pages) page.close();
    this.pages.clear();
  }
}
