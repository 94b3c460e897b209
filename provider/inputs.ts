/**
 * The provider-side shape of `ImportExportJob`'s inputs, and `check`'s local half: normalisation to a canonical form
 * (so that a formatting-only edit of a manifest is no change) and validation with the SDK's manifest validator,
 * reported as Pulumi `CheckFailure`s whose property is the field path and whose reason names the service error code.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { ManifestStructureError, ManifestSyntaxError, parseManifest, stringifyManifest, validateManifest, type Manifest } from "../sdk/manifest";
import { jobTypeOf, shippingAddressMembers, type ShippingAddressMember } from "../sdk/model";
import type { GetShippingLabelInput } from "../sdk/types";
import { importExportJobPolicy, type ImportExportInput } from "./importexport-policy";
import { containsUnknown, unlistedInputs } from "./policy";

/** The address members GetShippingLabel takes (the sender's address, same names as the manifest's returnAddress). */
export type ShippingLabelAddress = Pick<GetShippingLabelInput, ShippingAddressMember>;

/** Inputs as the provider sees them after `check`: `manifest` is canonical YAML text. */
export interface CheckedInputs {
  jobType: "Import" | "Export";
  manifest: string;
  shippingLabel?: ShippingLabelAddress;
  adoptJobId?: string;
  cancelInProgress?: boolean;
}

// The table (./importexport-policy) and this shape must name the same inputs: a field added to one only fails to
// compile here (test/provider/policy.test.ts checks the values too).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inputsMatchTable: Same<keyof CheckedInputs, ImportExportInput> = true;
void inputsMatchTable;

/** Raw inputs as they arrive from the engine (anything may be missing, wrong or unknown). */
export type RawInputs = Record<string, unknown>;

/** The result of normalising inputs: the inputs to hand back to the engine and what is wrong with them. */
export interface NormalizedInputs {
  /** Inputs to return from `check`; canonical where the values are known, untouched where they are unknown. */
  readonly inputs: RawInputs;
  /** Local problems (empty when valid or when unknowns prevent a decision). */
  readonly failures: CheckFailure[];
  /** Whether any input is (partly) unknown: server-side validation must wait for `up`. */
  readonly hasUnknowns: boolean;
}

/** Canonical YAML of a manifest given as an object or as YAML text. Throws ManifestSyntaxError for bad text. */
export function canonicalManifest(value: Manifest | string): { manifest: Manifest; yaml: string } {
  // Object → YAML → parse → YAML: the round trip turns numbers and booleans into the manifest's own spellings,
  // so `{ postalCode: 91111 }` and `postalCode: "91111"` are the same manifest. The codec guarantees that
  // stringify(parse(stringify(m))) = stringify(m), so `parsed` is what the canonical text parses to.
  const text = typeof value === "string" ? value : stringifyManifest(value);
  const parsed = parseManifest(text);
  return { manifest: parsed, yaml: stringifyManifest(parsed) };
}

/**
 * Whether `value` canonicalises to `canonical`, a text {@link canonicalManifest} produced (the prior check's), at
 * the cost of at most one stringify instead of the round trip: an unchanged manifest is the common case of every
 * preview. Canonical text is a fixed point of the round trip, so text equal to it, or an object that stringifies to
 * it, canonicalises to it; anything else may still, and is left to the round trip.
 */
function sameAsCanonical(value: Manifest | string, canonical: string): boolean {
  return (typeof value === "string" ? value : stringifyManifest(value)) === canonical;
}

/**
 * The CheckFailure property for a problem at `path` inside the manifest. Never the bare `manifest` key: the engine
 * prints the value of a failure's property when it names a top-level input, and a manifest may hold a device
 * password; whole-document problems are reported at `manifest.(document)`.
 */
export function manifestProperty(path: string): string {
  if (path.startsWith("[")) return `manifest${path}`; // a quoted key: manifest["odd key"]
  return path ? `manifest.${path}` : "manifest.(document)";
}

/**
 * Normalise and validate `news` locally (check's pure half). When `olds` (the previous checked inputs) has the same
 * jobType and canonical manifest, the manifest was validated when it was new and is not validated again: previewing
 * an unchanged stack of many jobs should cost little more than the engine itself.
 */
export function normalizeInputs(news: RawInputs, olds?: RawInputs): NormalizedInputs {
  const failures: CheckFailure[] = [];
  const inputs: RawInputs = {};
  let hasUnknowns = false;

  // jobType: Import | Export, case-insensitive as the service accepts it (spec §1.3), written canonically.
  const rawType = news["jobType"];
  let jobType: "Import" | "Export" | undefined;
  if (containsUnknown(rawType)) {
    hasUnknowns = true;
    inputs["jobType"] = rawType;
  } else if (typeof rawType === "string" && jobTypeOf(rawType) !== undefined) {
    jobType = jobTypeOf(rawType);
    inputs["jobType"] = jobType;
  } else {
    inputs["jobType"] = rawType;
    failures.push({
      property: "jobType",
      reason: `jobType must be "Import" or "Export", found ${describe(rawType)} (InvalidParameterException)`,
    });
  }

  const rawManifest = news["manifest"];
  if (containsUnknown(rawManifest)) {
    hasUnknowns = true;
    inputs["manifest"] = rawManifest;
  } else if (rawManifest === undefined || rawManifest === null || rawManifest === "") {
    inputs["manifest"] = rawManifest;
    failures.push({ property: "manifest", reason: "manifest is required: a Manifest object or YAML text (MissingParameterException)" });
  } else if (typeof rawManifest !== "string" && (typeof rawManifest !== "object" || Array.isArray(rawManifest))) {
    inputs["manifest"] = rawManifest;
    failures.push({ property: manifestProperty(""), reason: `manifest must be a Manifest object or YAML text, found ${describe(rawManifest)} (MalformedManifestException)` });
  } else {
    try {
      // The same manifest and jobType as the prior check's passed validation then: keep its canonical text.
      const before = olds?.["jobType"] === jobType && typeof olds?.["manifest"] === "string" ? olds["manifest"] : undefined;
      if (before !== undefined && sameAsCanonical(rawManifest as Manifest | string, before)) {
        inputs["manifest"] = before;
      } else {
        const c = canonicalManifest(rawManifest as Manifest | string);
        inputs["manifest"] = c.yaml;
        for (const p of jobType ? validateManifest(c.manifest, jobType) : []) {
          failures.push({ property: manifestProperty(p.path), reason: `${p.message} (${p.code})` });
        }
      }
    } catch (e) {
      inputs["manifest"] = rawManifest;
      if (e instanceof ManifestSyntaxError) {
        failures.push({ property: manifestProperty(""), reason: `line ${e.line}, column ${e.column}: ${e.message} (MalformedManifestException)` });
      } else if (e instanceof ManifestStructureError) {
        // Contains itself or nests too deep (a circular alias): name the field, as validation would.
        failures.push({ property: manifestProperty(e.path), reason: `${e.message} (${e.code})` });
      } else {
        failures.push({ property: manifestProperty(""), reason: `the manifest could not be read: ${(e as Error).message} (MalformedManifestException)` });
      }
    }
  }

  const label = news["shippingLabel"];
  if (label !== undefined && label !== null) {
    if (containsUnknown(label)) {
      hasUnknowns = true;
      inputs["shippingLabel"] = label;
    } else if (typeof label !== "object" || Array.isArray(label)) {
      inputs["shippingLabel"] = label;
      failures.push({ property: "shippingLabel", reason: `shippingLabel must be an address object, found ${describe(label)} (InvalidParameterException)` });
    } else {
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(label as Record<string, unknown>)) {
        if (!(shippingAddressMembers as readonly string[]).includes(k)) {
          failures.push({ property: `shippingLabel.${k}`, reason: `unknown address field; expected one of ${shippingAddressMembers.join(", ")} (InvalidParameterException)` });
        } else if (v !== undefined && v !== null) {
          clean[k] = String(v);
        }
      }
      inputs["shippingLabel"] = Object.fromEntries(Object.keys(clean).sort().map((k) => [k, clean[k]]));
    }
  }

  const adopt = news["adoptJobId"];
  if (adopt !== undefined && adopt !== null && adopt !== "") {
    if (containsUnknown(adopt)) {
      hasUnknowns = true;
      inputs["adoptJobId"] = adopt;
    } else if (typeof adopt !== "string" || !/^[1-9A-NP-Z]{5}$/i.test(adopt)) {
      inputs["adoptJobId"] = adopt;
      failures.push({ property: "adoptJobId", reason: `adoptJobId must be a 5-character JobId such as "ABCDE", found ${describe(adopt)} (InvalidParameterException)` });
    } else {
      inputs["adoptJobId"] = adopt.toUpperCase();
    }
  }

  const cancel = news["cancelInProgress"];
  if (cancel !== undefined && cancel !== null) {
    if (containsUnknown(cancel)) {
      hasUnknowns = true;
      inputs["cancelInProgress"] = cancel;
    } else if (typeof cancel !== "boolean") {
      inputs["cancelInProgress"] = cancel;
      failures.push({ property: "cancelInProgress", reason: `cancelInProgress must be true or false, found ${describe(cancel)}` });
    } else if (cancel) {
      // false and absent mean the same thing; keep only `true` so toggling false ↔ absent is no change.
      inputs["cancelInProgress"] = true;
    }
  }

  // The table is the one list of inputs: a key it does not hold is a typo worth reporting. (Output seeds, `jobId:
  // undefined` and so on, arrive as absent keys and are not reported.)
  for (const k of unlistedInputs(importExportJobPolicy, news)) failures.push({ property: k, reason: `unknown input "${k}"` });
  return { inputs, failures, hasUnknowns };
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" && v !== null ? "an object" : String(v);
}

/** Manifest text as sent: the user's manifest, with `accessKeyId` filled from the signing key when it is absent. */
export function manifestToSend(canonicalYaml: string, signingAccessKeyId: string | undefined): string {
  const m = parseManifest(canonicalYaml);
  if ((m.accessKeyId === undefined || m.accessKeyId === "") && signingAccessKeyId) {
    return stringifyManifest({ ...m, accessKeyId: signingAccessKeyId });
  }
  return canonicalYaml;
}

export { SECRET_MANIFEST_KEYS, redactManifest } from "../sdk/manifest/redact";

/** Whether two manifest texts describe the same manifest (canonical comparison). */
export function sameManifest(a: string, b: string): boolean {
  try {
    return canonicalManifest(a).yaml === canonicalManifest(b).yaml;
  } catch {
    return false;
  }
}
