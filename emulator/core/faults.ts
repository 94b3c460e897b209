import { setTimeout as sleep } from "node:timers/promises";

/**
 * Fault injection rules (admin `POST /_emulator/faults`), matched per Action.
 *
 * Rule JSON shape:
 * ```json
 * { "action": "CreateJob" | "*" | "iot:CreateJob" | "iot:*",   // unqualified = Import/Export only; "iot:" = IoT Jobs only
 *   "kind": "error" | "throttle" | "reset-before" | "drop-after" | "latency",
 *   "count": 2,            // optional: apply to the next N matching calls, then the rule is spent
 *   "probability": 0.5,    // optional: apply with this probability (deterministic with "seed")
 *   "seed": 42,            // optional PRNG seed for "probability"
 *   "status": 503,         // "error"/"throttle": HTTP status (default: the code's, else 500)
 *   "code": "ServiceUnavailable", // "error": Query error code (default InternalFailure)
 *   "message": "…",        // optional error message
 *   "latencyMs": 250,      // "latency": delay before processing
 *   "after": true }        // "error"/"throttle": process the call first, then answer the error (a lie: it ran)
 * ```
 * Without `count` and `probability` a rule applies to every matching call until `DELETE /_emulator/faults`.
 * `count` and `probability` together: each call is a coin toss; only calls that fire use up `count`.
 */
export type FaultKind = "error" | "throttle" | "reset-before" | "drop-after" | "latency";

/** A fault rule as posted to the admin API. */
export interface FaultRule {
  action: string;
  kind: FaultKind;
  count?: number;
  probability?: number;
  seed?: number;
  status?: number;
  code?: string;
  message?: string;
  latencyMs?: number;
  /**
   * `error`/`throttle` only: run the operation first (a CreateJob creates its job), then answer the error anyway.
   * A service that did the work and said it failed: what a client that retries such answers must survive.
   */
  after?: boolean;
}

/** Every fault kind (the dashboard offers them as choices). */
export const FAULT_KINDS: readonly FaultKind[] = ["error", "throttle", "reset-before", "drop-after", "latency"];

/** Why a rule was refused. */
export class FaultRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultRuleError";
  }
}

/** Checks one rule from JSON. */
export function parseFaultRule(raw: unknown, index: number): FaultRule {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new FaultRuleError(`rules[${index}] must be an object`);
  const r = raw as Record<string, unknown>;
  const action = r["action"] ?? "*";
  if (typeof action !== "string" || action.length === 0) throw new FaultRuleError(`rules[${index}].action must be an Action name or "*"`);
  const kind = r["kind"];
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultRuleError(`rules[${index}].kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const rule: FaultRule = { action, kind: kind as FaultKind };
  const num = (name: string, ok: (n: number) => boolean, what: string): number | undefined => {
    const v = r[name];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !ok(v)) throw new FaultRuleError(`rules[${index}].${name} must be ${what}`);
    return v;
  };
  const count = num("count", (n) => Number.isInteger(n) && n >= 1, "a positive integer");
  const probability = num("probability", (n) => n >= 0 && n <= 1, "between 0 and 1");
  const seed = num("seed", Number.isInteger, "an integer");
  const status = num("status", (n) => Number.isInteger(n) && n >= 400 && n <= 599, "an HTTP error status (400-599)");
  const latencyMs = num("latencyMs", (n) => n >= 0 && n <= 600_000, "between 0 and 600000");
  if (count !== undefined) rule.count = count;
  if (probability !== undefined) rule.probability = probability;
  if (seed !== undefined) rule.seed = seed;
  if (status !== undefined) rule.status = status;
  if (latencyMs !== undefined) rule.latencyMs = latencyMs;
  if (r["code"] !== undefined) {
    if (typeof r["code"] !== "string" || !/^[A-Za-z0-9.]{1,100}$/.test(r["code"])) throw new FaultRuleError(`rules[${index}].code must be an error code`);
    rule.code = r["code"];
  }
  if (r["message"] !== undefined) {
    if (typeof r["message"] !== "string") throw new FaultRuleError(`rules[${index}].message must be a string`);
    rule.message = r["message"];
  }
  if (r["after"] !== undefined) {
    if (typeof r["after"] !== "boolean") throw new FaultRuleError(`rules[${index}].after must be true or false`);
    if (r["after"] && rule.kind !== "error" && rule.kind !== "throttle") throw new FaultRuleError(`rules[${index}].after applies only to kinds error and throttle`);
    if (r["after"]) rule.after = true;
  }
  if (rule.kind === "latency" && rule.latencyMs === undefined) throw new FaultRuleError(`rules[${index}] of kind latency needs latencyMs`);
  return rule;
}

/** mulberry32: a tiny seedable PRNG, so probability rules (and the fuzz test) replay identically for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number | undefined;
  random: () => number;
}

/** What to do to one request. */
export interface FaultDecision {
  /** Sum of matching latency rules' delays. */
  latencyMs: number;
  /** The first matching non-latency rule, if any. */
  fault?: FaultRule;
}

/** The active rules. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  /** Faults fired so far (admin stats). */
  fired = 0;

  /** `onChange` hears of every change to the rule list (added, cleared, a count used up): the dashboard follows it. */
  constructor(private readonly onChange: () => void = () => {}) {}

  /** Adds rules (they apply in the order given). */
  add(rules: FaultRule[]): void {
    for (const rule of rules) {
      this.rules.push({ rule, remaining: rule.count, random: prng(rule.seed ?? 0x5eed) });
    }
    this.onChange();
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
    this.onChange();
  }

  /** Rules still active, with what is left of their counts. */
  list(): (FaultRule & { remaining?: number })[] {
    return this.rules.map((r) => (r.remaining === undefined ? { ...r.rule } : { ...r.rule, remaining: r.remaining }));
  }

  /**
   * Decides the faults for one call of `action`, using up counts. Without `service` (Import/Export) unqualified rules
   * match (`CreateJob`, `*`); with `service` (`iot` for the IoT Jobs control plane) only rules qualified with it do
   * (`iot:CreateJob`, `iot:*`). The same names as the stats keys, so one service's rule never fires on the other's
   * operation of the same name (both have CreateJob, UpdateJob, CancelJob, ListJobs).
   */
  decide(action: string, service?: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    if (this.rules.length === 0) return decision;
    let counted = false;
    for (const active of this.rules) {
      const { rule } = active;
      const matches = service === undefined ? rule.action === "*" || rule.action === action : rule.action === `${service}:${action}` || rule.action === `${service}:*`;
      if (!matches) continue;
      if (rule.kind !== "latency" && decision.fault !== undefined) continue;
      if (rule.probability !== undefined && active.random() >= rule.probability) continue;
      if (active.remaining !== undefined) {
        active.remaining--;
        counted = true;
      }
      this.fired++;
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 0;
      else decision.fault = rule;
    }
    this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    if (counted) this.onChange();
    return decision;
  }
}

/** What a fault does to a call, in the calling protocol's terms. */
export interface FaultEffects<E> {
  /** Cuts the connection without an answer: before the operation ran (`reset-before`) or after (`drop-after`). */
  drop: (when: "before" | "after") => void;
  /** The error an `error` or `throttle` rule answers, in the protocol's envelope. */
  error: (rule: FaultRule) => E;
}

/** What {@link withFaults} returns when a rule cut the connection (nothing may be sent then). */
export const DROPPED = Symbol("dropped");

/**
 * Runs one call of `action` under the fault rules, the one wrapper every service's edge uses: waits out the
 * latency rules, drops the connection (`reset-before`) or throws the rule's error (`error`, `throttle`) before
 * `work` runs; after it, drops the connection instead of answering (`drop-after`: the work is done, a job may
 * exist, but the client never hears of it) or throws the rule's error although the work was done (`error`/`throttle`
 * with `after`). `service` qualifies the rules as in {@link FaultInjector.decide}. Returns `work`'s result, or
 * {@link DROPPED}. Without a latency rule nothing is awaited before `work`, so the call runs in the same turn of the
 * event loop as its arrival.
 */
export async function withFaults<T, E>(
  injector: FaultInjector,
  call: { action: string; service?: string },
  effects: FaultEffects<E>,
  work: () => T,
): Promise<T | typeof DROPPED> {
  const { latencyMs, fault } = injector.decide(call.action, call.service);
  if (latencyMs > 0) await sleep(latencyMs);
  if (fault?.kind === "reset-before") {
    effects.drop("before");
    return DROPPED;
  }
  const errs = fault?.kind === "throttle" || fault?.kind === "error";
  if (fault !== undefined && errs && fault.after !== true) throw effects.error(fault);
  const result = work();
  if (fault?.kind === "drop-after") {
    effects.drop("after");
    return DROPPED;
  }
  if (fault !== undefined && errs && fault.after === true) throw effects.error(fault);
  return result;
}
