/**
 * The provider-side shape of `ImportExportJob`'s inputs, and `check`'s local half: normalisation to a canonical form
 * (so that a formatting-only edit of a manifest is no change) and validation with the SDK's manifest validator,
 * reported as Pulumi `CheckFailure`s whose property is the field path and whose reason names the service error code.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { ManifestStructureError, ManifestSyntaxError, parseManifest, stringifyManifest, validateManifest, type Manifest } from "../../sdk/manifest";
import { writtenManifest } from "../../sdk/manifest/codec";
import { jobTypeOf, shippingAddressMembers, type ShippingAddressMember } from "../../sdk/model";
import type { GetShippingLabelInput } from "../../sdk/types";
import { redactParsedManifest } from "../../sdk/manifest/redact";
import type { Normalizer } from "../core/definition";
import { parsedManifest, rememberParsed } from "./parsed-manifests";

/** The address members GetShippingLabel takes (the sender's address, same names as the manifest's returnAddress). */
export type ShippingLabelAddress = Pick<GetShippingLabelInput, ShippingAddressMember>;

/**
 * Canonical YAML of a manifest given as an object or as YAML text, and what that text parses to (frozen, kept for
 * the calls that send it: ./parsed-manifests). Throws ManifestSyntaxError for bad text.
 */
export function canonicalManifest(value: Manifest | string): { manifest: Readonly<Manifest>; yaml: string } {
  if (typeof value !== "string") return canonicalOfObject(value);
  // Text is written again from its parse (its own spacing, quoting and key order are not the canonical ones). Its parse
  // is kept only when it was canonical already: another text may parse to a different object (an empty option, say)
  // than the canonical text does.
  const manifest = parseManifest(value);
  const yaml = stringifyManifest(manifest);
  return { manifest: yaml === value ? rememberParsed(yaml, manifest) : manifest, yaml };
}

/**
 * A manifest object's canonical form: its written text, and what that text parses to (kept: ./parsed-manifests).
 * Object → YAML → parse: the round trip turns numbers and booleans into the manifest's own spellings, so
 * `{ postalCode: 91111 }` and `postalCode: "91111"` are the same manifest. The codec guarantees that
 * stringify(parse(stringify(m))) = stringify(m): the object's text is already canonical. A manifest of plain words
 * comes with its parse from the writer; any other is parsed once.
 */
function canonicalOfObject(value: Manifest, written = writtenManifest(value)): { manifest: Readonly<Manifest>; yaml: string } {
  const manifest = written.parsed !== undefined ? rememberParsed(written.text, written.parsed) : parsedManifest(written.text);
  return { manifest, yaml: written.text };
}

/**
 * The canonical form of `value`, or undefined when it is the manifest whose canonical text is `before` (the prior
 * check's): an unchanged manifest is the common case of every preview, so it is recognised by one write (of plain
 * words, for the common manifest: ./plain-text). Canonical text is a fixed point of the round trip, so text equal to
 * it, or an object that writes it, canonicalises to it; other text may still, and goes through the round trip (and
 * validation) again.
 */
function canonicalUnlessSame(value: Manifest | string, before: string | undefined): { manifest: Readonly<Manifest>; yaml: string } | undefined {
  if (typeof value === "string") return value === before ? undefined : canonicalManifest(value);
  const written = writtenManifest(value);
  return written.text === before ? undefined : canonicalOfObject(value, written);
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

/** jobType: Import | Export, case-insensitive as the service accepts it (spec §1.3), written canonically. */
export const normalizeJobType: Normalizer = (raw) => {
  const jobType = typeof raw === "string" ? jobTypeOf(raw) : undefined;
  if (jobType !== undefined) return { value: jobType };
  return { value: raw, failures: [{ property: "jobType", reason: `jobType must be "Import" or "Export", found ${describe(raw)} (InvalidParameterException)` }] };
};

/**
 * manifest: a Manifest object or YAML text, kept as canonical YAML and validated for the (normalised) jobType. When
 * the prior checked inputs have the same jobType and canonical manifest, the manifest was validated when it was new
 * and is not validated again: previewing an unchanged stack of many jobs should cost little more than the engine.
 */
export const normalizeManifest: Normalizer = (raw, { inputs, olds }) => {
  if (raw === undefined || raw === null || raw === "") {
    return { value: raw, failures: [{ property: "manifest", reason: "manifest is required: a Manifest object or YAML text (MissingParameterException)" }] };
  }
  if (typeof raw !== "string" && (typeof raw !== "object" || Array.isArray(raw))) {
    return { value: raw, failures: [{ property: manifestProperty(""), reason: `manifest must be a Manifest object or YAML text, found ${describe(raw)} (MalformedManifestException)` }] };
  }
  const jobType = inputs["jobType"] === "Import" || inputs["jobType"] === "Export" ? inputs["jobType"] : undefined;
  try {
    // The same manifest and jobType as the prior check's passed validation then: keep its canonical text.
    const before = olds["jobType"] === jobType && typeof olds["manifest"] === "string" ? olds["manifest"] : undefined;
    const c = canonicalUnlessSame(raw as Manifest | string, before);
    if (c === undefined) return { value: before };
    const problems = jobType ? validateManifest(c.manifest, jobType) : [];
    return { value: c.yaml, failures: problems.map((p) => ({ property: manifestProperty(p.path), reason: `${p.message} (${p.code})` })) };
  } catch (e) {
    if (e instanceof ManifestSyntaxError) {
      return { value: raw, failures: [{ property: manifestProperty(""), reason: `line ${e.line}, column ${e.column}: ${e.message} (MalformedManifestException)` }] };
    }
    if (e instanceof ManifestStructureError) {
      // Contains itself or nests too deep (a circular alias): name the field, as validation would.
      return { value: raw, failures: [{ property: manifestProperty(e.path), reason: `${e.message} (${e.code})` }] };
    }
    return { value: raw, failures: [{ property: manifestProperty(""), reason: `the manifest could not be read: ${(e as Error).message} (MalformedManifestException)` }] };
  }
};

/** shippingLabel: the sender's address, by GetShippingLabel's member names, values as text, keys sorted. */
export const normalizeShippingLabel: Normalizer = (label) => {
  if (typeof label !== "object" || label === null || Array.isArray(label)) {
    return { value: label, failures: [{ property: "shippingLabel", reason: `shippingLabel must be an address object, found ${describe(label)} (InvalidParameterException)` }] };
  }
  const failures: CheckFailure[] = [];
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(label as Record<string, unknown>)) {
    if (!(shippingAddressMembers as readonly string[]).includes(k)) {
      failures.push({ property: `shippingLabel.${k}`, reason: `unknown address field; expected one of ${shippingAddressMembers.join(", ")} (InvalidParameterException)` });
    } else if (v !== undefined && v !== null) {
      clean[k] = String(v);
    }
  }
  return { value: Object.fromEntries(Object.keys(clean).sort().map((k) => [k, clean[k]])), failures };
};

/** adoptJobId: a JobId (5 characters), upper case; empty text means none. */
export const normalizeAdoptJobId: Normalizer = (adopt) => {
  if (adopt === "") return {};
  if (typeof adopt !== "string" || !/^[1-9A-NP-Z]{5}$/i.test(adopt)) {
    return { value: adopt, failures: [{ property: "adoptJobId", reason: `adoptJobId must be a 5-character JobId such as "ABCDE", found ${describe(adopt)} (InvalidParameterException)` }] };
  }
  return { value: adopt.toUpperCase() };
};

/** cancelInProgress: a boolean; false and absent mean the same, so only `true` is kept (toggling false ↔ absent is no change). */
export const normalizeCancelInProgress: Normalizer = (cancel) => {
  if (typeof cancel !== "boolean") return { value: cancel, failures: [{ property: "cancelInProgress", reason: `cancelInProgress must be true or false, found ${describe(cancel)}` }] };
  return cancel ? { value: true } : {};
};

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" && v !== null ? "an object" : String(v);
}

/** The manifest of one call, from one parse: as sent, and as shown in outputs. */
export interface ManifestForCall {
  /** The user's manifest, with `accessKeyId` filled from the signing key when it is absent. */
  readonly sent: string;
  /** `sent` with device passwords replaced by a marker (the `manifestYaml` output). */
  readonly shown: string;
}

/**
 * The manifest text to send for `canonicalYaml` and how it is shown: at most one parse (none when check or the create
 * marker left it in ./parsed-manifests) and one write when the signing key is filled in.
 */
export function manifestForCall(canonicalYaml: string, signingAccessKeyId: string | undefined): ManifestForCall {
  const parsed = parsedManifest(canonicalYaml) as Readonly<Record<string, unknown>>;
  const fill = (parsed["accessKeyId"] === undefined || parsed["accessKeyId"] === "") && signingAccessKeyId !== undefined && signingAccessKeyId !== "";
  const m = fill ? { ...parsed, accessKeyId: signingAccessKeyId } : parsed;
  const sent = fill ? stringifyManifest(m as Manifest) : canonicalYaml;
  // Shown only when read (create and update read it; check's ValidateOnly call does not): a manifest with a device
  // password is written once more for it.
  let shown: string | undefined;
  return {
    sent,
    get shown() {
      return (shown ??= redactParsedManifest(m) ?? sent);
    },
  };
}

/** Manifest text as sent: the user's manifest, with `accessKeyId` filled from the signing key when it is absent. */
export function manifestToSend(canonicalYaml: string, signingAccessKeyId: string | undefined): string {
  return manifestForCall(canonicalYaml, signingAccessKeyId).sent;
}

/** Whether two manifest texts describe the same manifest (canonical comparison). */
export function sameManifest(a: string, b: string): boolean {
  try {
    return canonicalManifest(a).yaml === canonicalManifest(b).yaml;
  } catch {
    return false;
  }
}

/**
 * The inputs secret by their value: `manifest` when it holds a device password (`trueCryptPassword`, `pinCode`). A
 * manifest read back from the service (an import) carries no mark of the program's secrecy, so its content decides;
 * one that does not parse might hold a password, so it counts as secret too.
 */
export function secretManifestInputs(inputs: Readonly<Record<string, unknown>>): string[] {
  const m = inputs["manifest"];
  if (typeof m !== "string") return [];
  try {
    return redactParsedManifest(parseManifest(m) as Record<string, unknown>) !== undefined ? ["manifest"] : [];
  } catch {
    return ["manifest"];
  }
}
