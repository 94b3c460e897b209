import { describe, expect, test } from "vitest";
import { errors } from "../../sdk/model";
import { StandardRetryStrategy, classifyErrorResponse, resolveMaxAttempts, retryAfterMs } from "../../sdk/retry";

describe("backoff", () => {
  test("with random() = 1 the delays are exactly 100, 200, 400 ms (500, 1000 for throttling)", () => {
    const s = new StandardRetryStrategy({ random: () => 1, maxAttempts: 5 });
    expect([1, 2, 3].map((i) => s.delay(i, "transient"))).toEqual([100, 200, 400]);
    expect([1, 2].map((i) => s.delay(i, "throttling"))).toEqual([500, 1000]);
  });

  test("full jitter: random() scales the delay; the cap is 20 s", () => {
    const s = new StandardRetryStrategy({ random: () => 0.5 });
    expect(s.delay(1, "transient")).toBe(50);
    expect(new StandardRetryStrategy({ random: () => 1 }).delay(20, "throttling")).toBe(20_000);
    expect(new StandardRetryStrategy({ random: () => 0 }).delay(3, "throttling")).toBe(0);
  });

  test("a retry-after hint is honoured within [backoff, backoff + 5 s]", () => {
    const s = new StandardRetryStrategy({ random: () => 1 });
    expect(s.delay(1, "throttling", 2_000)).toBe(2_000);
    expect(s.delay(1, "throttling", 60_000)).toBe(5_500);
    expect(s.delay(1, "throttling", 10)).toBe(500);
  });

  test("retry-after headers", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(retryAfterMs({ "x-amz-retry-after": "1500" }, now)).toBe(1500);
    expect(retryAfterMs({ "retry-after": "2" }, now)).toBe(2000);
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }, now)).toBe(3000);
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe("classification", () => {
  test.each([
    ["Throttling", 400, "throttling"],
    ["RequestLimitExceeded", 400, "throttling"],
    ["Anything", 429, "throttling"],
    ["InternalFailure", 500, "transient"],
    ["ServiceUnavailable", 503, "transient"],
    ["Whatever", 502, "transient"],
    ["Whatever", 504, "transient"],
    ["NotImplemented", 501, "none"],
    ["InvalidJobIdException", 400, "none"],
    ["SignatureDoesNotMatch", 403, "none"],
  ] as const)("%s (%i) → %s", (code, status, kind) => {
    expect(classifyErrorResponse(code, status)).toBe(kind);
  });

  test("the model's `retryable` decides for every modelled code, whatever the status says", () => {
    for (const [code, model] of Object.entries(errors)) {
      // Status 400 alone is never retried, so only the model's word can make these retryable.
      expect([code, classifyErrorResponse(code, 400)]).toEqual([code, model.retryable ?? "none"]);
    }
    expect(Object.values(errors).filter((e) => e.retryable !== undefined).length).toBeGreaterThanOrEqual(3);
  });
});

describe("quota and attempts", () => {
  test("500 tokens: 5 per retry, 10 per timeout retry, refunded on success", () => {
    const s = new StandardRetryStrategy();
    expect(s.acquire("transient")).toBe(5);
    expect(s.acquire("timeout")).toBe(10);
    expect(s.availableTokens).toBe(485);
    s.release(15);
    expect(s.availableTokens).toBe(500);
    for (let i = 0; i < 100; i++) s.acquire("transient");
    expect(s.availableTokens).toBe(0);
    expect(s.acquire("transient")).toBeUndefined();
    s.release(0);
    expect(s.availableTokens).toBe(1);
  });

  test("maxAttempts: option > AWS_MAX_ATTEMPTS > 3; bad values are refused with the source named", () => {
    expect(resolveMaxAttempts(undefined, {})).toBe(3);
    expect(resolveMaxAttempts(undefined, { AWS_MAX_ATTEMPTS: "5" })).toBe(5);
    expect(resolveMaxAttempts(2, { AWS_MAX_ATTEMPTS: "5" })).toBe(2);
    expect(() => resolveMaxAttempts(undefined, { AWS_MAX_ATTEMPTS: "lots" })).toThrow(/AWS_MAX_ATTEMPTS/);
    expect(() => resolveMaxAttempts(0, {})).toThrow(/maxAttempts/);
  });
});
