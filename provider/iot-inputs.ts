/**
 * `IotJob`'s inputs as the provider sees them, and `check`'s whole job: normalisation (auto-naming `jobId`, the
 * default `expiresInSec`) and validation against the IoT model's constraints (../shared/spec/iot-jobs.md §2), all
 * before any API call. Every failure names the field path and the rule, and the service error the service would
 * answer (InvalidRequestException); a failure never names a top-level input whose value may be secret, because the
 * engine prints the value of a failure's top-level property.
 */
import { randomBytes } from "node:crypto";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { iotJobPolicy } from "./iot-policy";
import { containsUnknown, unlistedInputs } from "./policy";

/** A job execution rollout (`jobExecutionsRolloutConfig`). */
export interface IotRolloutConfig {
  /** Most things notified per minute (1–1000). */
  maximumPerMinute?: number;
  /** A rollout rate that grows as things report. */
  exponentialRate?: {
    /** Things notified per minute at the start (1–1000). */
    baseRatePerMinute: number;
    /** Rate multiplier (1.1–5, one decimal). */
    incrementFactor: number;
    /** When the rate grows: after this many things were notified or succeeded (at least one of the two). */
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

/** When to cancel the job (`abortConfig`). */
export interface IotAbortConfig {
  /** Criteria, any of which cancels the job. */
  criteriaList: Array<{
    /** Which execution outcome counts. */
    failureType: "FAILED" | "REJECTED" | "TIMED_OUT" | "ALL";
    /** The only action the service has. */
    action: "CANCEL";
    /** Percentage of executed things with that outcome (≤ 100, two decimals). */
    thresholdPercentage: number;
    /** How many things must have executed before the criterion applies (≥ 1). */
    minNumberOfExecutedThings: number;
  }>;
}

/** Inputs after `check` (what diff, create and update receive). */
export interface IotCheckedInputs {
  jobId: string;
  targets: string[];
  document?: string;
  documentSource?: string;
  description?: string;
  targetSelection?: "CONTINUOUS" | "SNAPSHOT";
  presignedUrlConfig?: { roleArn?: string; expiresInSec?: number };
  jobExecutionsRolloutConfig?: IotRolloutConfig;
  abortConfig?: IotAbortConfig;
  timeoutConfig?: { inProgressTimeoutInMinutes?: number };
  jobExecutionsRetryConfig?: { criteriaList: Array<{ failureType: "FAILED" | "TIMED_OUT" | "ALL"; numberOfRetries: number }> };
  tags?: Record<string, string>;
  namespaceId?: string;
  jobTemplateArn?: string;
  documentParameters?: Record<string, string>;
  schedulingConfig?: Record<string, unknown>;
  destinationPackageVersions?: string[];
  forceCancel?: boolean;
  forceDelete?: boolean;
  jobIdAutoNamed?: boolean;
  autoNamePrefix?: string;
}

/** The result of {@link checkIotInputs}. */
export interface IotCheckResult {
  /** The inputs to hand back to the engine (canonical where known). */
  readonly inputs: Record<string, unknown>;
  /** What is wrong (empty when valid). */
  readonly failures: CheckFailure[];
  /** Whether some input is not known yet (preview): those values are checked at `up`. */
  readonly hasUnknowns: boolean;
}

const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const TARGET_ARN = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:(thing|thinggroup)\/[a-zA-Z0-9:_-]{1,128}$/;
const ARN = /^arn:[!-~]+$/;
const CONTROL = /\p{C}/u;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LENGTH = 7;
const WHY = "(InvalidRequestException)";

/** A fresh auto-name: `<prefix>-<7 random [a-z0-9]>`, the prefix cut to [a-zA-Z0-9_-] so the whole fits in 64. */
export function autoJobId(prefix: string): string {
  const clean = prefix.replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, 64 - SUFFIX_LENGTH - 1) || "job";
  const bytes = randomBytes(SUFFIX_LENGTH);
  let suffix = "";
  for (const b of bytes) suffix += SUFFIX_CHARS[b % SUFFIX_CHARS.length];
  return `${clean}-${suffix}`;
}

type Problem = (property: string, reason: string) => void;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const absent = (v: unknown): boolean => v === undefined || v === null;

function int(v: unknown, at: string, min: number, max: number, bad: Problem, required = true): void {
  if (absent(v)) {
    if (required) bad(at, `is required ${WHY}`);
    return;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) bad(at, `must be a whole number from ${min} to ${max}, found ${JSON.stringify(v)} ${WHY}`);
}

function decimal(v: unknown, at: string, min: number, max: number, places: number, bad: Problem): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || Math.abs(Math.round(v * 10 ** places) - v * 10 ** places) > 1e-9) {
    bad(at, `must be a number from ${min} to ${max} with at most ${places} decimal${places === 1 ? "" : "s"}, found ${JSON.stringify(v)} ${WHY}`);
  }
}

function oneOf(v: unknown, at: string, values: readonly string[], bad: Problem, required = true): void {
  if (absent(v) && !required) return;
  if (typeof v !== "string" || !values.includes(v)) bad(at, `must be one of ${values.join(", ")}, found ${JSON.stringify(v)} ${WHY}`);
}

function text(v: unknown, at: string, max: number, bad: Problem, options: { min?: number; pattern?: RegExp; rule?: string; noControl?: boolean } = {}): void {
  const min = options.min ?? 1;
  if (typeof v !== "string") return bad(at, `must be a string ${WHY}`);
  if (v.length < min || v.length > max) return bad(at, `must be ${min}–${max} characters long, found ${v.length} ${WHY}`);
  if (options.noControl && CONTROL.test(v)) return bad(at, `must not contain control characters ${WHY}`);
  if (options.pattern && !options.pattern.test(v)) bad(at, `must match ${options.rule ?? options.pattern.source} ${WHY}`);
}

function onlyKeys(v: Record<string, unknown>, at: string, keys: readonly string[], bad: Problem): void {
  for (const k of Object.keys(v)) if (!keys.includes(k) && !absent(v[k])) bad(`${at}.${k}`, `is not a member of ${at} (members: ${keys.join(", ")}) ${WHY}`);
}

function struct(v: unknown, at: string, keys: readonly string[], bad: Problem): v is Record<string, unknown> {
  if (!isObj(v)) {
    bad(`${at}.(value)`, `must be an object ${WHY}`);
    return false;
  }
  onlyKeys(v, at, keys, bad);
  return true;
}

function list(v: unknown, at: string, min: number, max: number, bad: Problem): v is unknown[] {
  if (!Array.isArray(v)) {
    bad(at, `must be a list ${WHY}`);
    return false;
  }
  if (v.length < min || v.length > max) {
    bad(at, `must hold ${min}–${max} entries, found ${v.length} ${WHY}`);
    return false;
  }
  return true;
}

function stringMap(v: unknown, at: string, bad: Problem, key: (k: string) => void, value: (k: string, x: unknown) => void): void {
  if (!isObj(v)) return bad(`${at}.(value)`, `must be a map of strings ${WHY}`);
  for (const [k, x] of Object.entries(v)) {
    key(k);
    value(k, x);
  }
}

/** The rules of each input (only called with a known, present value). */
const validators: Record<string, (v: unknown, bad: Problem) => void> = {
  targets: (v, bad) => {
    if (!list(v, "targets", 1, 100, bad)) return;
    const seen = new Set<string>();
    v.forEach((t, i) => {
      if (typeof t !== "string" || t.length > 2048 || !TARGET_ARN.test(t)) {
        bad(`targets[${i}]`, `must be a thing or thing group ARN (arn:aws:iot:<region>:<account>:thing/<name> or …:thinggroup/<name>), found ${JSON.stringify(typeof t === "string" ? t.slice(0, 200) : t)} ${WHY}`);
      } else if (seen.has(t)) bad(`targets[${i}]`, `repeats ${t}: targets are a set ${WHY}`);
      else seen.add(t);
    });
  },
  document: (v, bad) => {
    text(v, "document", 32768, bad);
    if (typeof v !== "string") return;
    try {
      if (!isObj(JSON.parse(v))) bad("document", `must be a JSON object (the job document), found another JSON value ${WHY}`);
    } catch (e) {
      bad("document", `is not valid JSON: ${(e as Error).message} ${WHY}`);
    }
  },
  documentSource: (v, bad) => text(v, "documentSource", 1350, bad),
  description: (v, bad) => text(v, "description", 2028, bad, { noControl: true }),
  targetSelection: (v, bad) => oneOf(v, "targetSelection", ["CONTINUOUS", "SNAPSHOT"], bad),
  presignedUrlConfig: (v, bad) => {
    if (!struct(v, "presignedUrlConfig", ["roleArn", "expiresInSec"], bad)) return;
    if (!absent(v["roleArn"])) text(v["roleArn"], "presignedUrlConfig.roleArn", 2048, bad, { min: 20, pattern: ARN, rule: "an IAM role ARN (arn:…)" });
    int(v["expiresInSec"], "presignedUrlConfig.expiresInSec", 60, 3600, bad, false);
  },
  jobExecutionsRolloutConfig: (v, bad) => {
    const at = "jobExecutionsRolloutConfig";
    if (!struct(v, at, ["maximumPerMinute", "exponentialRate"], bad)) return;
    int(v["maximumPerMinute"], `${at}.maximumPerMinute`, 1, 1000, bad, false);
    const e = v["exponentialRate"];
    if (absent(e) || !struct(e, `${at}.exponentialRate`, ["baseRatePerMinute", "incrementFactor", "rateIncreaseCriteria"], bad)) return;
    int(e["baseRatePerMinute"], `${at}.exponentialRate.baseRatePerMinute`, 1, 1000, bad);
    decimal(e["incrementFactor"], `${at}.exponentialRate.incrementFactor`, 1.1, 5, 1, bad);
    const c = e["rateIncreaseCriteria"];
    const cAt = `${at}.exponentialRate.rateIncreaseCriteria`;
    if (!struct(c, cAt, ["numberOfNotifiedThings", "numberOfSucceededThings"], bad)) return;
    if (absent(c["numberOfNotifiedThings"]) && absent(c["numberOfSucceededThings"])) bad(cAt, `needs numberOfNotifiedThings or numberOfSucceededThings ${WHY}`);
    int(c["numberOfNotifiedThings"], `${cAt}.numberOfNotifiedThings`, 1, 2 ** 31 - 1, bad, false);
    int(c["numberOfSucceededThings"], `${cAt}.numberOfSucceededThings`, 1, 2 ** 31 - 1, bad, false);
  },
  abortConfig: (v, bad) => {
    if (!struct(v, "abortConfig", ["criteriaList"], bad)) return;
    if (!list(v["criteriaList"], "abortConfig.criteriaList", 1, 10, bad)) return;
    v["criteriaList"].forEach((c, i) => {
      const at = `abortConfig.criteriaList[${i}]`;
      if (!struct(c, at, ["failureType", "action", "thresholdPercentage", "minNumberOfExecutedThings"], bad)) return;
      oneOf(c["failureType"], `${at}.failureType`, ["FAILED", "REJECTED", "TIMED_OUT", "ALL"], bad);
      oneOf(c["action"], `${at}.action`, ["CANCEL"], bad);
      decimal(c["thresholdPercentage"], `${at}.thresholdPercentage`, 0, 100, 2, bad);
      int(c["minNumberOfExecutedThings"], `${at}.minNumberOfExecutedThings`, 1, 2 ** 31 - 1, bad);
    });
  },
  timeoutConfig: (v, bad) => {
    if (!struct(v, "timeoutConfig", ["inProgressTimeoutInMinutes"], bad)) return;
    int(v["inProgressTimeoutInMinutes"], "timeoutConfig.inProgressTimeoutInMinutes", 1, 10080, bad, false);
  },
  jobExecutionsRetryConfig: (v, bad) => {
    if (!struct(v, "jobExecutionsRetryConfig", ["criteriaList"], bad)) return;
    if (!list(v["criteriaList"], "jobExecutionsRetryConfig.criteriaList", 1, 2, bad)) return;
    v["criteriaList"].forEach((c, i) => {
      const at = `jobExecutionsRetryConfig.criteriaList[${i}]`;
      if (!struct(c, at, ["failureType", "numberOfRetries"], bad)) return;
      oneOf(c["failureType"], `${at}.failureType`, ["FAILED", "TIMED_OUT", "ALL"], bad);
      int(c["numberOfRetries"], `${at}.numberOfRetries`, 0, 10, bad);
    });
  },
  tags: (v, bad) => {
    if (isObj(v) && Object.keys(v).length > 50) bad("tags", `may hold at most 50 tags, found ${Object.keys(v).length} (LimitExceededException)`);
    stringMap(
      v,
      "tags",
      bad,
      (k) => (TAG_KEY.test(k) ? undefined : bad(`tags.${k.slice(0, 128)}`, `a tag key must be 1–128 letters, digits, spaces or _.:/=+-@ ${WHY}`)),
      (k, x) => (typeof x === "string" && x.length <= 256 ? undefined : bad(`tags.${k.slice(0, 128)}`, `a tag value must be a string of at most 256 characters ${WHY}`)),
    );
  },
  namespaceId: (v, bad) => text(v, "namespaceId", 64, bad, { pattern: /^[a-zA-Z0-9_-]+$/, rule: "[a-zA-Z0-9_-]+" }),
  jobTemplateArn: (v, bad) => text(v, "jobTemplateArn", 1600, bad, { pattern: ARN, rule: "^arn:[!-~]+$" }),
  documentParameters: (v, bad) =>
    stringMap(
      v,
      "documentParameters",
      bad,
      (k) => (/^[a-zA-Z0-9_-]{1,128}$/.test(k) ? undefined : bad("documentParameters.(key)", `a parameter name must be 1–128 of [a-zA-Z0-9_-] ${WHY}`)),
      // The value is not named: document parameters may be secret.
      (k, x) => (typeof x === "string" && x.length >= 1 && x.length <= 30720 && !CONTROL.test(x) ? undefined : bad(`documentParameters.${k.slice(0, 128)}`, `must be a string of 1–30720 characters without control characters ${WHY}`)),
    ),
  schedulingConfig: (v, bad) => {
    if (!struct(v, "schedulingConfig", ["startTime", "endTime", "endBehavior", "maintenanceWindows"], bad)) return;
    for (const k of ["startTime", "endTime"]) if (!absent(v[k])) text(v[k], `schedulingConfig.${k}`, 64, bad);
    oneOf(v["endBehavior"], "schedulingConfig.endBehavior", ["STOP_ROLLOUT", "CANCEL", "FORCE_CANCEL"], bad, false);
    const w = v["maintenanceWindows"];
    if (absent(w) || !list(w, "schedulingConfig.maintenanceWindows", 0, 100, bad)) return;
    w.forEach((m, i) => {
      const at = `schedulingConfig.maintenanceWindows[${i}]`;
      if (!struct(m, at, ["startTime", "durationInMinutes"], bad)) return;
      text(m["startTime"], `${at}.startTime`, 256, bad);
      int(m["durationInMinutes"], `${at}.durationInMinutes`, 1, 1430, bad);
    });
  },
  destinationPackageVersions: (v, bad) => {
    if (!list(v, "destinationPackageVersions", 0, 25, bad)) return;
    v.forEach((a, i) => text(a, `destinationPackageVersions[${i}]`, 1600, bad, { pattern: ARN, rule: "an ARN (arn:…)" }));
  },
  forceCancel: (v, bad) => (typeof v === "boolean" ? undefined : bad("forceCancel", "must be true or false")),
  forceDelete: (v, bad) => (typeof v === "boolean" ? undefined : bad("forceDelete", "must be true or false")),
  autoNamePrefix: (v, bad) => (typeof v === "string" ? undefined : bad("autoNamePrefix", "must be a string")),
};

/**
 * check's work for `IotJob`: normalise `news` and validate it. `olds` are the previous checked inputs: an
 * auto-named jobId is kept from them (stable across previews and updates); with no olds (a new resource, or the
 * engine's re-check for a replacement) a fresh one is generated.
 */
export function checkIotInputs(olds: Record<string, unknown>, news: Record<string, unknown>): IotCheckResult {
  const failures: CheckFailure[] = [];
  const bad: Problem = (property, reason) => failures.push({ property, reason });
  const inputs: Record<string, unknown> = {};
  let hasUnknowns = false;

  for (const k of unlistedInputs(iotJobPolicy, news)) bad(k, "is not an input of IotJob");
  if (!absent(news["jobIdAutoNamed"])) bad("jobIdAutoNamed", "is set by the provider, not by the program");

  for (const [k, v] of Object.entries(news)) {
    if (absent(v) || k === "jobIdAutoNamed" || !(k in iotJobPolicy.fields)) continue;
    inputs[k] = v;
    if (containsUnknown(v)) {
      hasUnknowns = true;
      continue;
    }
    if (k === "jobId") {
      if (typeof v !== "string" || !JOB_ID.test(v)) bad("jobId", `must be 1–64 characters of [a-zA-Z0-9_-], found ${JSON.stringify(v)} ${WHY}`);
      continue;
    }
    validators[k]?.(v, bad);
  }

  // An auto-name is kept while the previous inputs carry one; the user's own jobId always wins.
  if (absent(news["jobId"])) {
    const kept = olds["jobIdAutoNamed"] === true && typeof olds["jobId"] === "string" ? olds["jobId"] : undefined;
    const prefix = typeof news["autoNamePrefix"] === "string" ? news["autoNamePrefix"] : "job";
    inputs["jobId"] = kept ?? autoJobId(prefix);
    inputs["jobIdAutoNamed"] = true;
  }

  if (absent(news["targets"])) bad("targets", `is required: at least one thing or thing group ARN ${WHY}`);
  const sources = ["document", "documentSource"].filter((k) => !absent(news[k]));
  if (sources.length === 2) bad("documentSource", `document and documentSource exclude each other; give one ${WHY}`);
  if (sources.length === 0 && absent(news["jobTemplateArn"])) bad("document", `is required (or documentSource, or a jobTemplateArn that carries one) ${WHY}`);
  const pre = inputs["presignedUrlConfig"];
  // The service's default, made explicit so that writing it or leaving it out is no change.
  if (isObj(pre) && !containsUnknown(pre) && absent(pre["expiresInSec"])) inputs["presignedUrlConfig"] = { ...pre, expiresInSec: 3600 };

  return { inputs, failures, hasUnknowns };
}
