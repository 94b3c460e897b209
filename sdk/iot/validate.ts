/**
 * Validation against the IoT model (./model): the shapes' constraints, and the rules the service documents that the
 * shapes cannot state (`jobRules`). One implementation for both sides: the emulator's wire edge and backend refuse
 * a request with the first problem (InvalidRequestException), and `IotJob`'s check reports every problem as a
 * check failure before any API call. Neither side keeps rules of its own about what the service accepts.
 *
 * Where botocore's shapes and the service documentation disagree, the shapes win (a documented range the shape
 * does not carry is not enforced), except for the documented rules listed in `jobRules`, each naming its source;
 * docs/iot.md ("One description of the model") lists the choices.
 */
import type { IotShape } from "./model";

/** One thing wrong with a value: where (`abortConfig.criteriaList[0].thresholdPercentage`), what, and the code. */
export interface IotProblem {
  /** The field path, in the API's member names. */
  readonly field: string;
  /** The broken rule, phrased to follow the field: `must be at least 1 (got 0)`. */
  readonly rule: string;
  /** The service error the service answers for it. */
  readonly code: "InvalidRequestException" | "LimitExceededException";
}

/** How {@link validateShape} reports and what it does with members the model does not know. */
export interface ValidateOptions {
  /** Receives each problem; the emulator throws from it (first problem wins), the provider collects. */
  readonly report: (problem: IotProblem) => void;
  /** Whether rules may quote the offending value (false for inputs that may be secret). Default true. */
  readonly echo?: boolean;
  /**
   * `drop` (the service's way, the default): members the model does not know are dropped, which also keeps hostile
   * nesting out of the emulator's backend. `report`: each is a problem (the provider's typo catcher).
   */
  readonly unknownMembers?: "drop" | "report";
}

/** Java's POSIX classes (the model's patterns are Java regexes) in JavaScript terms; `\p{L}`, `\p{C}`… carry over. */
const JAVA_POSIX: Record<string, string> = { "\\p{Upper}": "A-Z", "\\p{Lower}": "a-z", "\\p{Digit}": "0-9", "\\p{Graph}": "!-~", "\\p{Alnum}": "A-Za-z0-9" };

const compiled = new Map<string, RegExp>();
/** A model pattern compiled once, anchored (the model's patterns match the whole value) and Unicode-aware. */
export function modelRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    let inner = pattern.startsWith("^") && pattern.endsWith("$") ? pattern.slice(1, -1) : pattern;
    for (const [java, js] of Object.entries(JAVA_POSIX)) inner = inner.split(java).join(js);
    re = new RegExp(`^(?:${inner})$`, "u");
    compiled.set(pattern, re);
  }
  return re;
}

function show(value: unknown, echo: boolean): string {
  if (!echo) return "the value given";
  const text = typeof value === "string" ? (value.length > 40 ? `${value.slice(0, 40)}…` : value) : value;
  return (JSON.stringify(text) ?? String(text)).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

function describeType(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Checks a decoded JSON value against a model shape and returns it as the model knows it. Each broken rule goes to
 * `options.report` with the field path; a value of the wrong type is returned as undefined (nothing below it is
 * checked). Members the model does not know are dropped (or reported, see {@link ValidateOptions}).
 */
export function validateShape(value: unknown, shape: IotShape, field: string, options: ValidateOptions): unknown {
  const echo = options.echo ?? true;
  const bad = (rule: string): undefined => {
    options.report({ field, rule, code: "InvalidRequestException" });
    return undefined;
  };
  switch (shape.type) {
    case "string": {
      if (typeof value !== "string") return bad(`must be a string, not ${describeType(value)}`);
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min) bad(`must be at least ${shape.min} characters long`);
      else if (shape.max !== undefined && length > shape.max) bad(`must be at most ${shape.max} characters long (got ${length})`);
      else if (shape.enum !== undefined && !shape.enum.includes(value)) bad(`must be one of ${shape.enum.join(", ")} (got ${show(value, echo)})`);
      else if (shape.pattern !== undefined && !modelRegex(shape.pattern).test(value)) bad(`does not match the pattern ${shape.pattern} (got ${show(value, echo)})`);
      return value;
    }
    case "integer":
    case "long":
    case "double": {
      if (typeof value !== "number" || !Number.isFinite(value)) return bad(`must be a number, not ${describeType(value)}`);
      if (shape.type !== "double" && !Number.isInteger(value)) bad(`must be a whole number (got ${value})`);
      else if (shape.min !== undefined && value < shape.min) bad(`must be at least ${shape.min} (got ${value})`);
      else if (shape.max !== undefined && value > shape.max) bad(`must be at most ${shape.max} (got ${value})`);
      return value;
    }
    case "boolean":
      return typeof value === "boolean" ? value : bad(`must be true or false, not ${describeType(value)}`);
    case "list": {
      if (!Array.isArray(value)) return bad(`must be a list, not ${describeType(value)}`);
      if (shape.min !== undefined && value.length < shape.min) bad(`must have at least ${shape.min} item(s)`);
      if (shape.max !== undefined && value.length > shape.max) bad(`must have at most ${shape.max} item(s) (got ${value.length})`);
      return value.map((item, i) => validateShape(item, shape.member, `${field}[${i}]`, options));
    }
    case "map": {
      if (!isObject(value)) return bad(`must be an object (a map), not ${describeType(value)}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        validateShape(k, shape.key, `${field} key`, options);
        // defineProperty, not assignment: a key such as "__proto__" (the key patterns allow it) stays an own entry.
        Object.defineProperty(out, k, { value: validateShape(v, shape.value, `${field}.${k}`, options), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "structure": {
      if (!isObject(value)) return bad(`must be an object, not ${describeType(value)}`);
      const out: Record<string, unknown> = {};
      for (const name of shape.required ?? []) {
        if (value[name] === undefined || value[name] === null) options.report({ field: `${field}.${name}`, rule: "is required", code: "InvalidRequestException" });
      }
      if (options.unknownMembers === "report") {
        const known = Object.keys(shape.members);
        for (const name of Object.keys(value)) {
          if (!known.includes(name) && value[name] !== undefined && value[name] !== null) {
            options.report({ field: `${field}.${name}`, rule: `is not a member of ${field} (members: ${known.join(", ")})`, code: "InvalidRequestException" });
          }
        }
      }
      for (const [name, member] of Object.entries(shape.members)) {
        const v = value[name];
        if (v === undefined || v === null) continue;
        out[name] = validateShape(v, member, `${field}.${name}`, options);
      }
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rules the service documents beyond the shapes.

/** Tags per resource (the IoT quota); more is LimitExceededException. */
export const MAX_TAGS = 50;
/** Targets per job (the AssociateTargetsWithJob limit, applied to creation too: a choice, docs/iot.md). */
export const MAX_TARGETS = 100;
/** Package versions per job (the `DestinationPackageVersions` member documentation: "Up to 25"). */
export const MAX_PACKAGE_VERSIONS = 25;
/** `inProgressTimeoutInMinutes` range (the `TimeoutConfig` member documentation: 1 minute to 7 days). */
export const TIMEOUT_MINUTES = { min: 1, max: 10080 } as const;

/**
 * The largest job document, in bytes of UTF-8: the service's job document quota (32 KB), which the model writes as
 * `max: 32768` on `JobDocument`, the shape of CreateJob's `document` and of GetJobDocument's answer alike. Counted in
 * bytes, not characters (`validateShape` counts characters), so 16,384 four-byte emoji do not pass as 16 KB.
 */
export const MAX_DOCUMENT_BYTES = 32768;

/** The partition whose ARNs job targets may name: the one this package and its emulator serve. */
export const TARGET_PARTITION = "aws";

const TARGET_ARN = /^arn:(aws[a-z-]*):iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/([a-zA-Z0-9:_-]{1,128})$/;

/** A job target's parts: a thing or thing group ARN (of any partition), or undefined for anything else. */
export function parseTargetArn(arn: string): { partition: string; region: string; accountId: string; type: "thing" | "thinggroup"; name: string } | undefined {
  const m = TARGET_ARN.exec(arn);
  if (m === null) return undefined;
  return { partition: m[1] ?? "", region: m[2] ?? "", accountId: m[3] ?? "", type: m[4] === "thing" ? "thing" : "thinggroup", name: m[5] ?? "" };
}

/** Bytes of a string in UTF-8 (what the service's size limits count). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** A `${aws:iot:parameter:<name>}` placeholder of a job document (the name is a `documentParameters` key). */
const PLACEHOLDER = /\$\{aws:iot:parameter:([a-zA-Z0-9_-]+)\}/g;

/** The value a placeholder stands for: an own entry of `parameters` only (never `constructor` or `__proto__` of Object). */
function parameterValue(parameters: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * The size in bytes of `document` once each placeholder with a value in `parameters` is replaced (placeholders with
 * none stay as written, as GetJobDocument shows them), counted without building the document: the check has to be
 * cheap for exactly the inputs whose substituted document would be huge.
 */
export function substitutedDocumentBytes(document: string, parameters: Readonly<Record<string, unknown>>): number {
  let bytes = utf8Bytes(document);
  for (const m of document.matchAll(PLACEHOLDER)) {
    const value = parameterValue(parameters, m[1] ?? "");
    if (value !== undefined) bytes += utf8Bytes(value) - utf8Bytes(m[0]);
  }
  return bytes;
}

/** `document` with each placeholder that has a value in `parameters` replaced (GetJobDocument's answer). */
export function substituteDocument(document: string, parameters: Readonly<Record<string, unknown>>): string {
  return document.replace(PLACEHOLDER, (all, name: string) => parameterValue(parameters, name) ?? all);
}

/**
 * A `schedulingConfig` time (`YYYY-MM-DDTHH:MM`, optional seconds and offset; UTC without one) in epoch ms, or
 * undefined when it is not one.
 */
export function parseScheduleTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) return undefined;
  const t = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(t) ? t : undefined;
}

const hasPlaces = (v: number, places: number): boolean => Math.abs(v * 10 ** places - Math.round(v * 10 ** places)) <= 1e-7;

/** Rules on a tag list (`[{Key, Value}]`) at `field`: unique keys, no `aws:` prefix, at most {@link MAX_TAGS}. */
export function tagRules(keys: readonly string[], field: string, report: (p: IotProblem) => void, keyField: (i: number) => string = (i) => `${field}[${i}].Key`): void {
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (seen.has(key)) report({ field: keyField(i), rule: `${JSON.stringify(key)} is given twice`, code: "InvalidRequestException" });
    if (key.toLowerCase().startsWith("aws:")) report({ field: keyField(i), rule: "uses the aws: prefix, which is reserved for AWS use", code: "InvalidRequestException" });
    seen.add(key);
  });
  if (keys.length > MAX_TAGS) report({ field, rule: `has ${keys.length} tags; a resource can have at most ${MAX_TAGS}`, code: "LimitExceededException" });
}

/** Rules on a job's `targets`: each a thing or thing group ARN, none twice, at most {@link MAX_TARGETS}. */
export function targetRules(targets: readonly unknown[], report: (p: IotProblem) => void): void {
  const bad = (field: string, rule: string): void => report({ field, rule, code: "InvalidRequestException" });
  if (targets.length > MAX_TARGETS) bad("targets", `has ${targets.length} entries; a job can have at most ${MAX_TARGETS}`);
  const seen = new Set<string>();
  targets.forEach((arn, i) => {
    if (typeof arn !== "string") return;
    const target = parseTargetArn(arn);
    if (target === undefined) bad(`targets[${i}]`, `must be a thing or thing group ARN (arn:aws:iot:<region>:<account>:thing/<name> or …:thinggroup/<name>), got ${JSON.stringify(arn.slice(0, 200))}`);
    else if (target.partition !== TARGET_PARTITION) {
      // Things of another partition (aws-cn, aws-us-gov, aws-iso…) are never in an aws-partition account: such a
      // target would silently reach nothing.
      bad(`targets[${i}]`, `${arn} is in the ${target.partition} partition; job targets must be things or thing groups of the ${TARGET_PARTITION} partition (arn:${TARGET_PARTITION}:iot:…)`);
    } else if (seen.has(arn)) bad(`targets[${i}]`, `repeats ${arn}: targets are a set`);
    seen.add(arn);
  });
}

/**
 * The job document's size in bytes of UTF-8, as written and once `documentParameters` are substituted: both must fit
 * {@link MAX_DOCUMENT_BYTES}, since GetJobDocument answers the substituted document in the same 32 KB shape. Without
 * the second rule one 62 KB CreateJob (1,423 placeholders, a 30 KB parameter) made every GetJobDocument 43.7 MB.
 * The rule names sizes and counts, never a parameter's value (it may be secret).
 */
function documentSizeRules(document: string, parameters: unknown, report: (p: IotProblem) => void): void {
  const bytes = utf8Bytes(document);
  if (bytes > MAX_DOCUMENT_BYTES) {
    report({ field: "document", rule: `is ${bytes} bytes of UTF-8; a job document can be at most ${MAX_DOCUMENT_BYTES} bytes (32 KB)`, code: "InvalidRequestException" });
    return;
  }
  if (!isObject(parameters)) return;
  const substituted = substitutedDocumentBytes(document, parameters);
  if (substituted > MAX_DOCUMENT_BYTES) {
    report({
      field: "documentParameters",
      rule: `would make the job document ${substituted} bytes once substituted into its placeholders; a job document can be at most ${MAX_DOCUMENT_BYTES} bytes (32 KB) after substitution`,
      code: "InvalidRequestException",
    });
  }
}

/**
 * The service's documented rules on a CreateJob or UpdateJob input the shapes do not state, on an input that
 * passed {@link validateShape} (members the shape refused are absent or undefined). Sources: the member
 * documentation in the model, and the developer guide (../shared/spec/iot-jobs.md §2).
 * The clock-dependent scheduling rules (start 30 minutes to a year ahead) stay with the emulator, whose clock they
 * are measured against.
 */
export function jobRules(operation: "CreateJob" | "UpdateJob", input: Readonly<Record<string, unknown>>, report: (p: IotProblem) => void): void {
  const bad = (field: string, rule: string): void => report({ field, rule, code: "InvalidRequestException" });
  if (operation === "CreateJob") {
    const targets = input["targets"];
    if (Array.isArray(targets)) targetRules(targets, report);
    const { document, documentSource, jobTemplateArn } = input;
    if (document !== undefined && documentSource !== undefined) bad("documentSource", "and document exclude each other; give one");
    if (document === undefined && documentSource === undefined && jobTemplateArn === undefined) bad("document", "is required (or documentSource, or a jobTemplateArn that carries one)");
    if (typeof document === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(document);
        if (!isObject(parsed)) bad("document", "must be a JSON object (the job document), not another JSON value");
      } catch (e) {
        bad("document", `is not valid JSON: ${(e as Error).message}`);
      }
    }
    if (typeof document === "string") documentSizeRules(document, input["documentParameters"], report);
    if (typeof documentSource === "string" && !/^(https:\/\/|s3:\/\/)\S+$/.test(documentSource)) bad("documentSource", "must be an S3 URL (https://… or s3://…)");
    const tags = input["tags"];
    if (Array.isArray(tags)) tagRules(tags.map((t: { Key?: unknown } | undefined) => String(t?.Key ?? "")), "tags", report);
    const packages = input["destinationPackageVersions"];
    if (Array.isArray(packages) && packages.length > MAX_PACKAGE_VERSIONS) bad("destinationPackageVersions", `has ${packages.length} entries; at most ${MAX_PACKAGE_VERSIONS} are allowed`);
    const scheduling = input["schedulingConfig"] as { startTime?: unknown; endTime?: unknown } | undefined;
    for (const k of ["startTime", "endTime"] as const) {
      const t = scheduling?.[k];
      if (typeof t === "string" && parseScheduleTime(t) === undefined) bad(`schedulingConfig.${k}`, `must be an ISO 8601 time such as 2026-12-31T23:30 (got ${JSON.stringify(t.slice(0, 64))})`);
    }
  }
  const factor = (input["jobExecutionsRolloutConfig"] as { exponentialRate?: { incrementFactor?: unknown } } | undefined)?.exponentialRate?.incrementFactor;
  if (typeof factor === "number" && !hasPlaces(factor, 1)) bad("jobExecutionsRolloutConfig.exponentialRate.incrementFactor", `must have at most one decimal place (got ${factor})`);
  const abort = (input["abortConfig"] as { criteriaList?: unknown } | undefined)?.criteriaList;
  if (Array.isArray(abort)) {
    abort.forEach((c: { thresholdPercentage?: unknown } | undefined, i) => {
      const p = c?.thresholdPercentage;
      if (typeof p === "number" && !hasPlaces(p, 2)) bad(`abortConfig.criteriaList[${i}].thresholdPercentage`, `must have at most two decimal places (got ${p})`);
    });
  }
  const timeout = (input["timeoutConfig"] as { inProgressTimeoutInMinutes?: unknown } | undefined)?.inProgressTimeoutInMinutes;
  if (typeof timeout === "number" && (timeout < TIMEOUT_MINUTES.min || timeout > TIMEOUT_MINUTES.max)) {
    bad("timeoutConfig.inProgressTimeoutInMinutes", `must be between ${TIMEOUT_MINUTES.min} and ${TIMEOUT_MINUTES.max} (7 days) (got ${timeout})`);
  }
  const retry = (input["jobExecutionsRetryConfig"] as { criteriaList?: unknown } | undefined)?.criteriaList;
  if (Array.isArray(retry)) {
    const types = retry.map((c: { failureType?: unknown } | undefined) => c?.failureType);
    if (new Set(types).size !== types.length) bad("jobExecutionsRetryConfig.criteriaList", "names a failureType twice");
  }
}
