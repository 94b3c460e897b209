/**
 * A change counter the dashboard's live updates follow: anything that changes what the dashboard shows (a job
 * stored by an API call or the admin API, a fault rule, a reset) bumps it, and subscribers hear about it once per
 * turn of the event loop however many changes that turn made (a burst of `pulumi up` calls is one update).
 */

/** The emulator's change counter and its listeners. */
export class ChangeFeed {
  private current = 0;
  private pending = false;
  private readonly listeners = new Set<(version: number) => void>();

  /** How many changes there have been since start-up. */
  get version(): number {
    return this.current;
  }

  /** Notes a change; listeners are told on the next tick with the latest version. */
  bump(): void {
    this.current++;
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      for (const listener of this.listeners) listener(this.current);
    });
  }

  /** Calls `listener` after changes; returns the function that stops it. */
  subscribe(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Wraps a store so each call of one of its `mutators` (put, remove, clear: the one place all job changes pass
 * through) bumps `feed` after the store has done its work. Works for any store shape (Import/Export, IoT).
 */
export function observed<S extends object>(store: S, feed: ChangeFeed, mutators: readonly (keyof S & string)[]): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (!(mutators as readonly (string | symbol)[]).includes(property)) return method;
      return (...args: unknown[]): unknown => {
        const result = method(...args);
        feed.bump();
        return result;
      };
    },
  });
}
