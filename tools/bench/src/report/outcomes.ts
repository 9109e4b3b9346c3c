/**
 * What one run of one figure gave: a number, a failure (an error, or a
 * result that was not exact: never shown as a number), or a skip (the peer
 * is not installed).
 */
export type Outcome =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string };

/** Collects the outcomes of every run, by figure id. */
export class Outcomes {
  private readonly byId = new Map<string, Outcome[]>();

  value(id: string, value: number): void {
    this.add(id, { kind: 'value', value });
  }

  failed(id: string, reason: string): void {
    this.add(id, { kind: 'failed', reason });
  }

  skipped(id: string, reason: string): void {
    this.add(id, { kind: 'skipped', reason });
  }

  of(id: string): readonly Outcome[] {
    return this.byId.get(id) ?? [];
  }

  all(): ReadonlyMap<string, readonly Outcome[]> {
    return this.byId;
  }

  private add(id: string, outcome: Outcome): void {
    const list = this.byId.get(id) ?? [];
    list.push(outcome);
    this.byId.set(id, list);
  }
}
