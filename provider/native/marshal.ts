/**
 * Property values between the engine's wire form (a protobuf `Struct`) and the plain JavaScript the resource
 * runtimes take.
 *
 * The engine encodes two things inside ordinary Struct values:
 * - a **secret** is an object `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`;
 * - an **unknown** (a value not known until `up`, during preview) is the string `04da6b54-80e4-46f7-96ec-b56ff0331ba9`.
 *
 * The runtimes already understand the unknown string (it stays as it is). Secrets are unwrapped for them, and the
 * top-level properties that held one are remembered so that the answer marks the same properties secret again: a
 * secret input stays secret in the state, as the engine does it for providers that cannot take secrets.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The key that marks a special value (secret, asset, resource reference) in a Struct. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for an unknown value during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Plain properties and the top-level keys whose value was (or contained) a secret. */
export interface Unmarshalled {
  readonly values: Record<string, unknown>;
  readonly secrets: ReadonlySet<string>;
}

/** A value that is not plain data (an asset, archive or resource reference), named for the error message. */
export class UnsupportedValueError extends Error {
  override readonly name = "UnsupportedValueError";
  constructor(readonly property: string, signature: string) {
    super(`property ${property}: values of kind ${signature} (assets, archives, resource references) are not supported by this provider`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Unwraps secrets at any depth; `found` is set when one was seen. */
function unwrap(value: unknown, path: string, found: { secret: boolean }): unknown {
  if (Array.isArray(value)) return value.map((v, i) => unwrap(v, `${path}[${i}]`, found));
  if (!isObject(value)) return value;
  const sig = value[SIGNATURE_KEY];
  if (sig !== undefined) {
    if (sig !== SECRET_SIGNATURE) throw new UnsupportedValueError(path, String(sig));
    found.secret = true;
    return unwrap(value["value"], path, found);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v, `${path}.${k}`, found)]));
}

/** A Struct (or its absence) → plain properties plus which top-level ones were secret. */
export function unmarshal(struct: Struct | undefined): Unmarshalled {
  const raw = struct?.toJavaScript() ?? {};
  const values: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(raw)) {
    const found = { secret: false };
    values[k] = unwrap(v, k, found);
    if (found.secret) secrets.add(k);
  }
  return { values, secrets };
}

/** Drops `undefined` members at any depth: a Struct cannot carry them. */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : defined(v)));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)]));
}

/** Plain properties → a Struct, with each top-level key in `secrets` (when present) wrapped as a secret. */
export function marshal(values: Readonly<Record<string, unknown>>, secrets: Iterable<string> = []): Struct {
  const out = defined(values) as Record<string, unknown>;
  for (const k of secrets) {
    if (out[k] !== undefined && !(isObject(out[k]) && out[k][SIGNATURE_KEY] === SECRET_SIGNATURE)) {
      out[k] = { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: out[k] };
    }
  }
  return Struct.fromJavaScript(out as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Whether a value is, or contains, the unknown marker. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  return isObject(value) && Object.values(value).some(isUnknown);
}
