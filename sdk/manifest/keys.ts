/**
 * The one list of manifest options per map (spec §5.2–§5.7), in the Developer Guide's order (the codec writes them
 * in this order), and the check that a manifest uses no other key: a misspelt option (`eraseDevcie`) would otherwise
 * be sent, ignored by the service and leave the job without the option the user meant. The typed `Manifest`
 * (./types.ts) has no index signature and is pinned to these lists at compile time, below.
 */
import type { Customs, DeviceImportOperation, ExportOperation, Manifest, ReturnAddress } from "./types";

/** Manifest versions the validator knows (spec §5.1). */
export type ManifestVersion = "2.0" | "3.0";

/** Top-level options, Developer Guide order. */
export const MANIFEST_OPTIONS = [
  "manifestVersion", "generator", "accessKeyId", "deviceId", "fileSystem", "eraseDevice", "pinCode", "trueCryptPassword",
  "bucket", "prefix", "acl", "storageClass", "cacheControl", "contentDisposition", "contentLanguage", "contentTypes",
  "defaultContentType", "diskTimestampMetadataKey", "expires", "setContentEncodingForGzFiles", "staticMetadata",
  "ignore", "substitutions", "recoveryDirectory", "logBucket", "logPrefix", "notificationEmail", "serviceLevel",
  "operations", "returnAddress", "customs",
] as const;
/** `returnAddress` members (spec §5.7; GetShippingLabel's address members). */
export const RETURN_ADDRESS_OPTIONS = [
  "name", "company", "street1", "street2", "street3", "city", "stateOrProvince", "postalCode", "phoneNumber", "country",
] as const;
/** `customs` members (spec §5.6). */
export const CUSTOMS_OPTIONS = [
  "dataDescription", "encryptedData", "encryptionClassification", "exportCertifierName", "requiresExportLicense",
  "deviceValue", "deviceCountryOfOrigin", "deviceType", "typeOfExport",
] as const;
/** Members of an S3 export `operations` entry (manifestVersion 2.0, spec §5.4). */
export const EXPORT_OPERATION_OPTIONS = ["exportBucket", "prefix", "beginMarker", "endMarker", "targetDirectory"] as const;
/** Members of an EBS/Glacier import `operations` entry: manifestVersion 3.0 only (spec §5.1, §5.5). */
export const DEVICE_IMPORT_OPERATION_OPTIONS = ["destination", "source", "region", "vaultName", "archiveComment"] as const;
/** Every `operations` entry member, in the order the codec writes them. */
export const OPERATION_OPTIONS = [...EXPORT_OPERATION_OPTIONS, ...DEVICE_IMPORT_OPERATION_OPTIONS] as const;
/** Maps whose keys are the user's data (file extensions, metadata names, substrings), not options. */
export const FREE_FORM_OPTIONS: ReadonlySet<string> = new Set(["contentTypes", "staticMetadata", "substitutions"]);

// The lists and the typed model must name the same keys: an option added to one only fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pinned: [
  Same<keyof Manifest, (typeof MANIFEST_OPTIONS)[number]>,
  Same<keyof ReturnAddress, (typeof RETURN_ADDRESS_OPTIONS)[number]>,
  Same<keyof Customs, (typeof CUSTOMS_OPTIONS)[number]>,
  Same<keyof ExportOperation, (typeof EXPORT_OPERATION_OPTIONS)[number]>,
  Same<keyof DeviceImportOperation, (typeof DEVICE_IMPORT_OPERATION_OPTIONS)[number]>,
] = [true, true, true, true, true];
void pinned;

/** One map of the manifest: its options, those that need a newer manifestVersion, and its nested maps and lists. */
interface MapSchema {
  /** What the map is called in messages. */
  readonly label: string;
  readonly options: readonly string[];
  /** Options that exist only from this manifestVersion on. */
  readonly since?: Readonly<Record<string, { version: ManifestVersion; what: string }>>;
  /** Options whose value is a map with its own options. */
  readonly maps?: Readonly<Record<string, MapSchema>>;
  /** Options whose value is a list of such maps. */
  readonly lists?: Readonly<Record<string, MapSchema>>;
}

const ADDRESS: MapSchema = { label: "returnAddress", options: RETURN_ADDRESS_OPTIONS };
const CUSTOMS: MapSchema = { label: "customs", options: CUSTOMS_OPTIONS };
const OPERATION: MapSchema = {
  label: "operations entry",
  options: OPERATION_OPTIONS,
  since: Object.fromEntries(DEVICE_IMPORT_OPERATION_OPTIONS.map((k) => [k, { version: "3.0", what: "EBS and Glacier import" }])),
};
const ROOT: MapSchema = {
  label: "manifest",
  options: MANIFEST_OPTIONS,
  maps: { returnAddress: ADDRESS, customs: CUSTOMS },
  lists: { operations: OPERATION },
};

/** A key the manifest's schema does not have (or not at the manifest's version). */
export interface UnknownKeyProblem {
  /** Dotted path with `[i]` for list entries: `returnAddress.stret1`, `operations[0].vaultName`. */
  path: string;
  message: string;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, so `eraseDevcie` is 1 from
 * `eraseDevice`). Keys are short; the table is two rows.
 */
export function editDistance(a: string, b: string): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] as number) + 1);
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * The known option `key` was most likely meant as: the same key in another case, else the closest one within
 * a distance that grows with the key's length (1 up to 7 characters, 2 up to 11, then 3). Undefined when none is close.
 */
export function closestOption(key: string, options: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = options.find((o) => o.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = key.length < 8 ? 1 : key.length < 12 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const option of options) {
    if (Math.abs(option.length - key.length) > limit) continue;
    const d = editDistance(lower, option.toLowerCase());
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * `parent.key`, or `parent["key"]` (JSON-quoted, as in Pulumi property paths) for a key that is not a plain name:
 * an unknown key is the user's text, and may hold dots, brackets, quotes or control characters.
 */
export function keyPath(parent: string, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}
const join = keyPath;

/** What to say about `key`, unknown in `schema` at `path`: a close option, or a nested option written one level up. */
function unknownMessage(schema: MapSchema, key: string, path: string): string {
  const near = closestOption(key, schema.options);
  if (near !== undefined) return `Manifest field ${path} is not a ${schema.label} option; did you mean \`${near}\`?`;
  for (const [mapKey, inner] of Object.entries(schema.maps ?? {})) {
    // The AWS CLI's sample manifest has returnAddress members that are not indented (spec §5.1).
    const nested = inner.options.includes(key) ? key : closestOption(key, inner.options);
    if (nested !== undefined) return `Manifest field ${path} is not a ${schema.label} option; did you mean \`${join(mapKey, nested)}\` (indented under ${mapKey})?`;
  }
  const listing = schema.options.length <= 12 ? ` (options: ${schema.options.join(", ")})` : " (keys are case-sensitive; spec §5 lists the options)";
  return `Manifest field ${path} is not a ${schema.label} option${listing}.`;
}

/**
 * Every key of `manifest` that is not an option of the map it is in, or that belongs to a newer manifestVersion
 * than `version` (the version the job's type and manifest allow; undefined when it cannot be decided, then only
 * unknown keys are reported). Keys of free-form maps (`contentTypes`, `staticMetadata`, `substitutions`) are data
 * and are not checked. Values of the wrong shape are left to the validator's other rules.
 */
export function unknownKeyProblems(manifest: Record<string, unknown>, version: ManifestVersion | undefined): UnknownKeyProblem[] {
  const out: UnknownKeyProblem[] = [];
  const visit = (schema: MapSchema, obj: Record<string, unknown>, path: string): void => {
    for (const key of Object.keys(obj)) {
      const at = join(path, key);
      if (!schema.options.includes(key)) {
        out.push({ path: at, message: unknownMessage(schema, key, at) });
        continue;
      }
      const since = schema.since?.[key];
      if (since !== undefined && version !== undefined && version < since.version) {
        out.push({ path: at, message: `Manifest field ${at} is a manifestVersion ${since.version} option (${since.what}); this manifest is manifestVersion ${version}.` });
        continue;
      }
      const value = obj[key];
      const map = schema.maps?.[key];
      if (map !== undefined && isMap(value)) visit(map, value, at);
      const list = schema.lists?.[key];
      if (list !== undefined && Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isMap(item)) visit(list, item, `${at}[${i}]`);
        });
      }
    }
  };
  visit(ROOT, manifest, "");
  return out;
}
