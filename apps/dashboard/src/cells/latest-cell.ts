/**
 * The latest value of one source plus a dirty flag. A source may set it a
 * hundred thousand times a second; the flusher reads it at most a few times a
 * second, so what reaches the pages is coalesced: only the newest value, never
 * a queue of the ones in between.
 */
export class LatestCell<T> {
  private current: T;
  private dirty = false;

  constructor(
    /** The topic name the pages see it under ("log", "reducer:adder", …). */
    readonly topic: string,
    initial: T,
  ) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    this.current = value;
    this.dirty = true;
  }

  /** Changes part of the value and marks it dirty. */
  update(change: (value: T) => T): void {
    this.set(change(this.current));
  }

  /** The value if it changed since the last take, else undefined; clears the flag. */
  takeIfDirty(): T | undefined {
    if (!this.dirty) return undefined;
    this.dirty = false;
    return this.current;
  }
}
