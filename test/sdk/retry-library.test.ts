/**
 * Issue 21 item 8: why sdk/retry.ts takes @smithy/util-retry's constants but not its StandardRetryStrategy. Each
 * test runs the library's own strategy and shows one thing the SDK's documented retry policy needs that it does not
 * do; the last shows that the SDK's strategy does it with the library's numbers. If a later version of the library
 * can do one of these, its test fails and says so (then the SDK should switch to it).
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  DEFAULT_RETRY_DELAY_BASE, INITIAL_RETRY_TOKENS, RETRY_COST, StandardRetryStrategy as SmithyStandardRetryStrategy,
  THROTTLING_RETRY_DELAY_BASE, TIMEOUT_RETRY_COST,
} from "@smithy/util-retry";
import { StandardRetryStrategy } from "../../sdk/retry";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** One retry through the library's strategy: the delay it waited and the quota it took. */
async function smithyRetry(errorType: "TRANSIENT" | "THROTTLING"): Promise<{ delay: number; cost: number }> {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(0.999999);
  const s = new SmithyStandardRetryStrategy(3);
  const token = await s.acquireInitialRetryToken("importexport");
  const next = s.refreshRetryTokenForRetry(token, { errorType });
  await vi.runAllTimersAsync();
  const t = await next;
  return { delay: (t as unknown as { $retryLog: { acquisitionDelay: number } }).$retryLog.acquisitionDelay, cost: INITIAL_RETRY_TOKENS - s.getCapacity() };
}

describe("@smithy/util-retry's StandardRetryStrategy cannot do what the SDK needs", () => {
  test("its base delays are not its own exported constants (100 ms, 500 ms): it uses 50 ms and 1 s", async () => {
    const transient = await smithyRetry("TRANSIENT");
    const throttling = await smithyRetry("THROTTLING");
    expect([DEFAULT_RETRY_DELAY_BASE, THROTTLING_RETRY_DELAY_BASE]).toEqual([100, 500]);
    expect([transient.delay, throttling.delay]).toEqual([49, 999]);
  });

  test("its quota costs are 14 per retry and 5 per throttling retry, not 5 and 10 per timeout retry; it has no timeout kind", async () => {
    expect([RETRY_COST, TIMEOUT_RETRY_COST]).toEqual([5, 10]);
    expect((await smithyRetry("TRANSIENT")).cost).toBe(14);
    expect((await smithyRetry("THROTTLING")).cost).toBe(5);
  });

  test("it waits on a real timer inside refreshRetryTokenForRetry: no injected sleep, no log line before the wait", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0.999999);
    const s = new SmithyStandardRetryStrategy({ maxAttempts: 3, baseDelay: 1_000 });
    const token = await s.acquireInitialRetryToken("importexport");
    let settled = false;
    const next = s.refreshRetryTokenForRetry(token, { errorType: "TRANSIENT" }).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(998);
    // The decision (retry or not, and how long) only comes back once its own timer has run out.
    expect([settled, vi.getTimerCount()]).toEqual([false, 1]);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(settled).toBe(true);
  });
});

describe("the SDK's strategy, with the library's numbers", () => {
  test("100/500 ms bases, 5/10 costs, injected randomness and sleep", async () => {
    const waits: number[] = [];
    const s = new StandardRetryStrategy({ random: () => 1, sleep: async (ms) => void waits.push(ms) });
    expect([s.delay(1, "transient"), s.delay(1, "throttling")]).toEqual([DEFAULT_RETRY_DELAY_BASE, THROTTLING_RETRY_DELAY_BASE]);
    expect([s.acquire("transient"), s.acquire("timeout")]).toEqual([RETRY_COST, TIMEOUT_RETRY_COST]);
    await s.sleep(s.delay(2, "transient"));
    expect(waits).toEqual([200]);
  });
});
