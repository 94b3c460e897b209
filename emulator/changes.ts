/**
 * A change counter the dashboard's live updates follow: anything that changes what the dashboard shows (a job
 * stored by an API call or the admin API, a fault rule, a reset) bumps it, and subscribers hear about it once per
 * turn of the event loop however many changes that turn made (a burst of `pulumi up` calls is one update).
 */
import type { JobRecord } from "./backend/job";
import type { JobStore } from "./persistence";

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

/** Wraps a job store so every stored or cleared job bumps `feed` (the one place all job changes pass through). */
export function observedStore(store: JobStore, feed: ChangeFeed): JobStore {
  return {
    load: () => store.load(),
    put: (job: JobRecord) => {
      store.put(job);
      feed.bump();
    },
    clear: () => {
      store.clear();
      feed.bump();
    },
    close: () => store.close(),
  };
}
