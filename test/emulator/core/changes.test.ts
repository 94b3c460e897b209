/**
 * The change feed behind the dashboard's live updates: a burst of changes in one turn of the event loop is one
 * notification carrying the latest version; `observed` bumps only after a store mutator has run, and leaves the
 * store's other methods (and their `this`) alone.
 */
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ChangeFeed, observed } from "../../../emulator/core/changes";

describe("change feed", () => {
  it("coalesces a burst into one notification with the latest version; unsubscribe stops it", async () => {
    const feed = new ChangeFeed();
    const heard: number[] = [];
    const stop = feed.subscribe((v) => heard.push(v));
    feed.bump();
    feed.bump();
    feed.bump();
    expect(heard).toEqual([]); // not synchronously: the bumping request finishes first
    await tick();
    expect(heard).toEqual([3]);
    feed.bump();
    await tick();
    expect(heard).toEqual([3, 4]);
    stop();
    feed.bump();
    await tick();
    expect([heard, feed.version]).toEqual([[3, 4], 5]);
  });

  it("observed() bumps after each mutator, never for reads, and keeps the store's own this", async () => {
    class Store {
      private readonly items: string[] = [];
      put(item: string): void {
        this.items.push(item);
      }
      clear(): void {
        this.items.length = 0;
      }
      load(): string[] {
        return [...this.items];
      }
    }
    const feed = new ChangeFeed();
    const store = observed(new Store(), feed, ["put", "clear"]);
    expect(store.load()).toEqual([]);
    expect(feed.version).toBe(0);
    store.put("a");
    store.put("b");
    expect([store.load(), feed.version]).toEqual([["a", "b"], 2]);
    store.clear();
    expect([store.load(), feed.version]).toEqual([[], 3]);
    const failing = observed({ put: (): void => { throw new Error("disk full"); } }, feed, ["put"]);
    expect(() => failing.put()).toThrow("disk full");
    expect(feed.version).toBe(3); // a failed write is no change
  });
});
