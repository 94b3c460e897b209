/**
 * sdk/retry-constants.ts writes out @smithy/util-retry's standard-mode numbers so that a client (and every CLI
 * command) does not load @smithy/core at start-up (issue 25). This keeps them the library's: each value, and the set
 * of names, is compared with the pinned library's exports, so an upgrade that changes one fails here.
 */
import * as smithy from "@smithy/util-retry";
import { describe, expect, test } from "vitest";
import * as ours from "../../sdk/retry-constants";
import { BASE_DELAY_MS, DEFAULT_MAX_ATTEMPTS, MAX_BACKOFF_MS, StandardRetryStrategy, THROTTLING_BASE_DELAY_MS } from "../../sdk/retry";

describe("the retry constants are @smithy/util-retry's", () => {
  test("every constant written out has the library's value under the library's name", () => {
    const names = Object.keys(ours).sort();
    expect(names).toEqual([
      "DEFAULT_MAX_ATTEMPTS", "DEFAULT_RETRY_DELAY_BASE", "INITIAL_RETRY_TOKENS", "MAXIMUM_RETRY_DELAY",
      "NO_RETRY_INCREMENT", "RETRY_COST", "THROTTLING_RETRY_DELAY_BASE", "TIMEOUT_RETRY_COST",
    ]);
    const library = smithy as unknown as Record<string, unknown>;
    for (const name of names) expect(ours[name as keyof typeof ours], name).toBe(library[name]);
  });

  test("the retry strategy uses them: delays, quota and attempts", () => {
    expect([BASE_DELAY_MS, THROTTLING_BASE_DELAY_MS, MAX_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS]).toEqual([
      smithy.DEFAULT_RETRY_DELAY_BASE, smithy.THROTTLING_RETRY_DELAY_BASE, smithy.MAXIMUM_RETRY_DELAY, smithy.DEFAULT_MAX_ATTEMPTS,
    ]);
    const s = new StandardRetryStrategy({ random: () => 1, maxAttempts: 3 });
    expect(s.availableTokens).toBe(smithy.INITIAL_RETRY_TOKENS);
    expect(s.acquire("timeout")).toBe(smithy.TIMEOUT_RETRY_COST);
    expect(s.acquire("transient")).toBe(smithy.RETRY_COST);
    expect(s.availableTokens).toBe(smithy.INITIAL_RETRY_TOKENS - smithy.TIMEOUT_RETRY_COST - smithy.RETRY_COST);
    s.release(0);
    expect(s.availableTokens).toBe(smithy.INITIAL_RETRY_TOKENS - smithy.TIMEOUT_RETRY_COST - smithy.RETRY_COST + smithy.NO_RETRY_INCREMENT);
    expect(s.delay(1, "transient")).toBe(smithy.DEFAULT_RETRY_DELAY_BASE);
    expect(s.delay(1, "throttling")).toBe(smithy.THROTTLING_RETRY_DELAY_BASE);
    expect(s.delay(30, "throttling")).toBe(smithy.MAXIMUM_RETRY_DELAY);
  });
});
