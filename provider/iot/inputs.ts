/**
 * `IotJob`'s inputs as the provider sees them, and `check`'s whole job: normalisation (auto-naming `jobId`, the
 * default `expiresInSec`) and validation against the IoT model (sdk/iot/model + sdk/iot/validate, the code the
 * emulator validates with too), all before any API call. Every failure names the field path and the rule, and the
 * error the service would answer (InvalidRequestException); a failure never names a top-level input whose value
 * may be secret, because the engine prints the value of a failure's top-level property.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { IOT_OPERATIONS, TAG_KEY, TAG_VALUE, type IotShape } from "../../sdk/iot/model";
import { jobRules, tagRules, validateShape, type IotProblem } from "../../sdk/iot/validate";
import type { InputDefinitions } from "../core/definition";
import { containsUnknown, RESERVED_KEYS, UNKNOWN } from "../core/policy";
import { autoJobId } from "./autoname";
import { iotJobDefinition } from "./definition";

/** The result of {@link checkIotInputs}. */
export interface IotCheckResult {
  /** The inputs to hand back to the engine (canonical where known). */
  readonly inputs: Record<string, unknown>;
  /** What is wrong (empty when valid). */
  readonly failures: CheckFailure[];
  /** Whether some input is not known yet (preview): those values are checked at `up`. */
  readonly hasUnknowns: boolean;
}

/** Auto-names are made in ./autoname; re-exported for callers of this module. */
export { autoJobId } from "./autoname";

/** How check names a job the program gives no jobId. */
export interface IotNaming {
  /** The auto-name's basis (./autoname); `UNKNOWN` while it is not known (preview); absent → a random suffix. */
  readonly basis?: string;
}

type Problem = (property: string, reason: string) => void;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const absent = (v: unknown): boolean => v === undefined || v === null;

/** The definition's inputs, by name (any string: `news` may hold keys it does not list). */
const INPUTS: InputDefinitions = iotJobDefinition.inputs;

/** Inputs whose value may be secret: a failure never quotes it, nor names the input itself (the engine prints it). */
const SECRET_INPUTS: ReadonlySet<string> = new Set(Object.keys(INPUTS).filter((k) => INPUTS[k]?.secret === true));

/** CreateJob's members, by name: the model every input that is one is validated against. */
const CREATE_JOB: Readonly<Record<string, { shape: IotShape; required?: boolean }>> = IOT_OPERATIONS.CreateJob.input;


/** Where a problem is reported: the model's field path, kept off a secret input's own name. */
function propertyOf(field: string): string {
  const property = field.replace(/ key$/, ".(key)");
  return SECRET_INPUTS.has(property) ? `${property}.(value)` : property;
}

/**
 * Validates the inputs CreateJob carries against the IoT model (sdk/iot: the shapes and the documented job rules,
 * the same code the emulator answers with). `known` holds each input that is set; a value not yet known (preview)
 * is null there, so it counts as present but is not checked.
 */
function validateAgainstModel(known: Record<string, unknown>, bad: Problem): void {
  const report = (p: IotProblem): void => bad(propertyOf(p.field), `${p.rule} (${p.code})`);
  const wire: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(known)) {
    const member = CREATE_JOB[k];
    if (member === undefined) continue;
    if (v === null) {
      wire[k] = null;
      continue;
    }
    if (k === "tags") {
      // A map here, `[{Key, Value}]` on the wire: each problem is reported at `tags.<key>`.
      if (!isObj(v)) {
        bad("tags", "must be a map of strings (InvalidRequestException)");
        continue;
      }
      const keys = Object.keys(v);
      for (const key of keys) {
        validateShape(key, TAG_KEY, `tags.${key.slice(0, 128)}`, { report: (p) => report({ ...p, rule: `a tag key ${p.rule}` }) });
        validateShape(v[key], TAG_VALUE, `tags.${key.slice(0, 128)}`, { report: (p) => report({ ...p, rule: `a tag value ${p.rule}` }) });
      }
      tagRules(keys, "tags", report, (i) => `tags.${(keys[i] ?? "").slice(0, 128)}`);
      continue;
    }
    wire[k] = validateShape(v, member.shape, k, { report, echo: !SECRET_INPUTS.has(k), unknownMembers: "report" });
  }
  for (const [name, member] of Object.entries(CREATE_JOB)) {
    if (member.required === true && !(name in known)) bad(name, `is required (InvalidRequestException)`);
  }
  jobRules("CreateJob", wire, report);
}

/**
 * check's work for `IotJob`: normalise `news` and validate it. `olds` are the previous checked inputs: an
 * auto-named jobId is kept from them (stable across previews and updates); with no olds (a new resource, or the
 * engine's re-check for a replacement) one is made from `naming` (deterministic with a basis, see ./autoname).
 */
export function checkIotInputs(olds: Record<string, unknown>, news: Record<string, unknown>, naming: IotNaming = {}): IotCheckResult {
  const failures: CheckFailure[] = [];
  const bad: Problem = (property, reason) => failures.push({ property, reason });
  const inputs: Record<string, unknown> = {};
  let hasUnknowns = false;

  for (const k of Object.keys(news)) if (!RESERVED_KEYS.has(k) && !(k in INPUTS) && !absent(news[k])) bad(k, "is not an input of IotJob");
  if (!absent(news["jobIdAutoNamed"])) bad("jobIdAutoNamed", "is set by the provider, not by the program");

  const known: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news)) {
    if (absent(v) || k === "jobIdAutoNamed" || !(k in INPUTS)) continue;
    inputs[k] = v;
    const unknown = containsUnknown(v);
    hasUnknowns ||= unknown;
    known[k] = unknown ? null : v;
    // The provider's own inputs (never sent to CreateJob) have their validator in the definition.
    const own = INPUTS[k]?.normalize;
    if (own !== undefined && !unknown) for (const f of own(v, { inputs, olds }).failures ?? []) bad(f.property ? `${k}.${f.property}` : k, f.reason);
  }

  // An auto-name is kept while the previous inputs carry one; the user's own jobId always wins.
  if (absent(news["jobId"])) {
    const kept = olds["jobIdAutoNamed"] === true && typeof olds["jobId"] === "string" ? olds["jobId"] : undefined;
    const prefix = typeof news["autoNamePrefix"] === "string" ? news["autoNamePrefix"] : "job";
    inputs["jobId"] = kept ?? (naming.basis === UNKNOWN ? UNKNOWN : autoJobId(prefix, naming.basis));
    inputs["jobIdAutoNamed"] = true;
    hasUnknowns ||= inputs["jobId"] === UNKNOWN;
  }

  validateAgainstModel("jobId" in known ? known : { ...known, jobId: inputs["jobId"] === UNKNOWN ? null : inputs["jobId"] }, bad);
  const pre = inputs["presignedUrlConfig"];
  // The service's default, made explicit so that writing it or leaving it out is no change.
  if (isObj(pre) && !containsUnknown(pre) && absent(pre["expiresInSec"])) inputs["presignedUrlConfig"] = { ...pre, expiresInSec: 3600 };

  return { inputs, failures, hasUnknowns };
}
