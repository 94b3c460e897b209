/**
 * Local manifest validation with the service's error codes (spec §5.8). Purely local: whether a bucket exists,
 * who owns it and where it lives are the service's (the emulator's) business; `manifestBuckets` tells it which
 * buckets a manifest names. The emulator, the provider's `check` and the CLI all use this one validator.
 */
import { shippingAddressMembers, type ModeledErrorCode, type ShippingAddressMember } from "../model";
import { parseYesNo } from "./codec";
import { unknownKeyProblems, type ManifestVersion } from "./keys";
import { manifestStructureProblem } from "./limits";
import type { Manifest, ManifestJobType } from "./types";

/** One problem found in a manifest. `path` is dotted, with `[i]` for list entries: `operations[0].exportBucket`. */
export interface ManifestProblem {
  path: string;
  code: ModeledErrorCode;
  message: string;
}

/** Extra context the caller may know (the emulator knows the job's region from its buckets). */
export interface ValidateManifestOptions {
  /**
   * Region whose AWS facility receives the device (`us-east-1`, `eu-west-1`, ...). When given, `customs` is
   * required for a return address outside that facility's country (EU↔EU through eu-west-1 excepted, §5.6).
   * Without it the requirement cannot be decided locally and only the customs values present are checked.
   */
  facilityRegion?: string;
}

/** A bucket a manifest references, with the option that names it. */
export interface ManifestBucketRef {
  /** `bucket`, `logBucket` or `operations[i].exportBucket`. */
  field: string;
  bucket: string;
}

const ACLS = ["private", "public-read", "public-read-write", "authenticated-read"];
const SERVICE_LEVELS = ["standard", "expeditedShipping"];
const FILE_SYSTEMS = ["NTFS", "EXT4"];
const DESTINATIONS = ["ebs-snapshot", "glacier"];
const ADDRESS_REQUIRED: readonly ShippingAddressMember[] = ["name", "street1", "city", "stateOrProvince", "postalCode", "phoneNumber", "country"];
/** The other address members (GetShippingLabel's, sdk/model.ts), in the model's order. */
const ADDRESS_OPTIONAL = shippingAddressMembers.filter((member) => !ADDRESS_REQUIRED.includes(member));
const CUSTOMS_REQUIRED = [
  "dataDescription", "encryptedData", "encryptionClassification", "exportCertifierName", "requiresExportLicense",
  "deviceValue", "deviceCountryOfOrigin", "deviceType", "typeOfExport",
];
/** `logPrefix` + `import-log-`/`export-log-` (11) + JOBID (5) must fit in 1024 bytes (DG). */
const MAX_LOG_PREFIX_BYTES = 1024 - 11 - 5;
const MAX_ARCHIVE_COMMENT = 997;

/** Country spellings seen in manifests → ISO 3166 alpha-2, for the customs rule. Unknown spellings stay as given. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  US: "US", USA: "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US",
  IE: "IE", IRELAND: "IE", GB: "GB", UK: "GB", "UNITED KINGDOM": "GB",
  DE: "DE", GERMANY: "DE", FR: "FR", FRANCE: "FR", NL: "NL", NETHERLANDS: "NL", ES: "ES", SPAIN: "ES", IT: "IT", ITALY: "IT",
  BE: "BE", BELGIUM: "BE", AT: "AT", AUSTRIA: "AT", SE: "SE", SWEDEN: "SE", DK: "DK", DENMARK: "DK", FI: "FI", FINLAND: "FI",
  PT: "PT", PORTUGAL: "PT", PL: "PL", POLAND: "PL", LU: "LU", LUXEMBOURG: "LU", GR: "GR", GREECE: "GR",
  CZ: "CZ", "CZECH REPUBLIC": "CZ", HU: "HU", HUNGARY: "HU", SK: "SK", SI: "SI", EE: "EE", LV: "LV", LT: "LT",
  RO: "RO", ROMANIA: "RO", BG: "BG", BULGARIA: "BG", HR: "HR", CROATIA: "HR", CY: "CY", MT: "MT",
  CA: "CA", CANADA: "CA", JP: "JP", JAPAN: "JP", CN: "CN", CHINA: "CN",
};
const EU = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]);
/** Facility country per region (the FAQ names US Standard and EU (Ireland)). */
const FACILITY_COUNTRY: Readonly<Record<string, string>> = { "us-east-1": "US", "us-west-1": "US", "us-west-2": "US", "eu-west-1": "IE" };

function isMapValue(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}
function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
function get(obj: Record<string, unknown>, key: string): unknown {
  return has(obj, key) ? obj[key] : undefined;
}
function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (isMapValue(v)) return "a map";
  return JSON.stringify(v);
}

/** Collects problems for one manifest; small helpers keep each rule one line. */
class Problems {
  readonly list: ManifestProblem[] = [];
  add(path: string, code: ModeledErrorCode, message: string): void {
    this.list.push({ path, code, message });
  }
  missing(path: string, why = ""): void {
    this.add(path, "MissingManifestFieldException", `Required manifest field ${path} is missing${why}.`);
  }
  invalid(path: string, message: string, code: ModeledErrorCode = "InvalidManifestFieldException"): void {
    this.add(path, code, `Manifest field ${path} ${message}`);
  }
  /** A scalar text option: absent is fine unless required; present must be a non-empty string. */
  text(obj: Record<string, unknown>, key: string, path: string, required: boolean, missingCode: ModeledErrorCode = "MissingManifestFieldException", invalidCode: ModeledErrorCode = "InvalidManifestFieldException"): string | undefined {
    const v = get(obj, key);
    if (isBlank(v)) {
      if (required) this.add(path, missingCode, `Required manifest field ${path} is missing.`);
      return undefined;
    }
    if (typeof v === "number" || typeof v === "bigint") return String(v);
    if (typeof v !== "string") {
      this.invalid(path, `must be text, found ${describe(v)}.`, invalidCode);
      return undefined;
    }
    return v;
  }
  yesNo(obj: Record<string, unknown>, key: string, path: string, required: boolean, missingCode: ModeledErrorCode = "MissingManifestFieldException", invalidCode: ModeledErrorCode = "InvalidManifestFieldException"): void {
    const v = get(obj, key);
    if (isBlank(v)) {
      if (required) this.add(path, missingCode, `Required manifest field ${path} is missing (write yes or no).`);
      return;
    }
    if (parseYesNo(v) === undefined) this.invalid(path, `must be yes or no, found ${describe(v)}.`, invalidCode);
  }
  oneOf(obj: Record<string, unknown>, key: string, path: string, values: readonly string[], required: boolean, code: ModeledErrorCode = "InvalidManifestFieldException"): void {
    const v = this.text(obj, key, path, required, "MissingManifestFieldException", code);
    if (v !== undefined && !values.includes(v)) this.invalid(path, `must be one of ${values.join(", ")}, found ${JSON.stringify(v)}.`, code);
  }
  stringMap(obj: Record<string, unknown>, key: string, path: string): void {
    const v = get(obj, key);
    if (v === undefined || v === null) return;
    if (!isMapValue(v)) return this.invalid(path, `must be a map, found ${describe(v)}.`);
    for (const [k, inner] of Object.entries(v)) {
      if (typeof inner !== "string") this.invalid(`${path}.${k}`, `must be text, found ${describe(inner)}.`);
    }
  }
}

/** Normalised manifestVersion: "2", "2.0", 2 → "2.0". */
function versionOf(v: unknown): string | undefined {
  if (typeof v === "number") v = String(v);
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return /^\d+$/.test(t) ? `${t}.0` : t;
}

function countryCode(country: string): string {
  const upper = country.trim().toUpperCase();
  return COUNTRY_ALIASES[upper] ?? upper;
}

/**
 * Checks a manifest for a job type and returns every problem found (empty = valid), each with the service error
 * code the real service would answer with (spec §5.8). Never throws for bad input.
 */
export function validateManifest(manifest: Manifest, jobType: ManifestJobType, options: ValidateManifestOptions = {}): ManifestProblem[] {
  const p = new Problems();
  // Parsed YAML and untyped callers can hand over anything: from here on it is a map of unknown values.
  const m: unknown = manifest;
  if (!isMapValue(m)) {
    p.add("", "MalformedManifestException", "Your manifest is not well-formed: it must be a map of options.");
    return p.list;
  }
  // A manifest that contains itself or nests beyond the limit cannot be written or sent (stringifyManifest refuses it).
  const shape = manifestStructureProblem(m);
  if (shape !== undefined) {
    p.add(shape.path, "MalformedManifestException", `Your manifest is not well-formed: ${shape.message}`);
    return p.list;
  }
  if (jobType !== "Import" && jobType !== "Export") {
    p.add("JobType", "InvalidParameterException", `JobType must be Import or Export, found ${JSON.stringify(jobType)}.`);
    return p.list;
  }

  // manifestVersion decides which option set applies.
  const rawVersion = get(m, "manifestVersion");
  const version = versionOf(rawVersion);
  const ops = get(m, "operations");
  const deviceImport = jobType === "Import" && (version === "3.0" || (Array.isArray(ops) && version === undefined));

  // Unknown keys first: a misspelt option usually also leaves a required one missing, and the first problem is
  // the one the service answers with, so it should name the typo.
  const allowed: ManifestVersion | undefined = jobType === "Export" ? "2.0" : deviceImport ? "3.0" : version === "2.0" ? "2.0" : undefined;
  for (const u of unknownKeyProblems(m, allowed)) p.add(u.path, "InvalidManifestFieldException", u.message);

  if (isBlank(rawVersion)) {
    p.missing("manifestVersion");
  } else if (version === undefined) {
    p.invalid("manifestVersion", `must be 2.0 or 3.0, found ${describe(rawVersion)}.`);
  } else if (jobType === "Export" && version !== "2.0") {
    p.invalid("manifestVersion", `must be 2.0 for an Export job, found ${JSON.stringify(version)}.`);
  } else if (jobType === "Import" && version !== "2.0" && version !== "3.0") {
    p.invalid("manifestVersion", `must be 2.0 (import to S3) or 3.0 (import to EBS or Glacier), found ${JSON.stringify(version)}.`);
  }

  // Common options (§5.2).
  p.text(m, "accessKeyId", "accessKeyId", false);
  p.text(m, "deviceId", "deviceId", true);
  p.text(m, "generator", "generator", false);
  p.yesNo(m, "eraseDevice", "eraseDevice", deviceImport);
  p.text(m, "pinCode", "pinCode", false);
  p.text(m, "trueCryptPassword", "trueCryptPassword", false);
  p.oneOf(m, "serviceLevel", "serviceLevel", SERVICE_LEVELS, false);
  const logPrefix = p.text(m, "logPrefix", "logPrefix", false);
  if (logPrefix !== undefined && Buffer.byteLength(logPrefix, "utf8") > MAX_LOG_PREFIX_BYTES) {
    p.invalid("logPrefix", `is too long: logPrefix plus the log name must fit in 1024 bytes (at most ${MAX_LOG_PREFIX_BYTES} bytes of prefix).`);
  }
  const email = p.text(m, "notificationEmail", "notificationEmail", false);
  if (email !== undefined) {
    for (const addr of email.split(";").map((s) => s.trim())) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(addr)) p.invalid("notificationEmail", `holds ${JSON.stringify(addr)}, which is not an e-mail address (separate several with ;).`);
    }
  }
  const country = checkReturnAddress(p, get(m, "returnAddress"));
  checkCustoms(p, get(m, "customs"), country, options.facilityRegion);

  if (jobType === "Export") checkExport(p, m);
  else if (deviceImport) checkDeviceImport(p, m);
  else checkS3Import(p, m);
  return p.list;
}

function checkReturnAddress(p: Problems, addr: unknown): string | undefined {
  if (addr === undefined || addr === null || addr === "") {
    p.missing("returnAddress");
    return undefined;
  }
  if (!isMapValue(addr)) {
    p.add("returnAddress", "InvalidAddressException", `returnAddress must be a map of address fields, found ${describe(addr)}.`);
    return undefined;
  }
  for (const key of ADDRESS_REQUIRED) p.text(addr, key, `returnAddress.${key}`, true, "InvalidAddressException", "InvalidAddressException");
  for (const key of ADDRESS_OPTIONAL) p.text(addr, key, `returnAddress.${key}`, false, "InvalidAddressException", "InvalidAddressException");
  const phone = get(addr, "phoneNumber");
  if (typeof phone === "string" && phone.trim() !== "" && !/\d/.test(phone)) {
    p.add("returnAddress.phoneNumber", "InvalidAddressException", "returnAddress.phoneNumber must contain digits.");
  }
  const country = get(addr, "country");
  return typeof country === "string" && country.trim() !== "" ? countryCode(country) : undefined;
}

function checkCustoms(p: Problems, customs: unknown, country: string | undefined, facilityRegion: string | undefined): void {
  const facility = facilityRegion === undefined ? undefined : FACILITY_COUNTRY[facilityRegion];
  const needed = country !== undefined && facility !== undefined && country !== facility && !(facility === "IE" && EU.has(country));
  if (customs === undefined || customs === null) {
    if (needed) p.add("customs", "MissingCustomsException", `customs is required: the return address (${country}) is outside the country of the AWS facility for ${facilityRegion}.`);
    return;
  }
  if (!isMapValue(customs)) {
    p.add("customs", "InvalidCustomsException", `customs must be a map, found ${describe(customs)}.`);
    return;
  }
  for (const key of CUSTOMS_REQUIRED) {
    if (key === "encryptedData" || key === "requiresExportLicense") {
      p.yesNo(customs, key, `customs.${key}`, true, "MissingCustomsException", "InvalidCustomsException");
    } else {
      p.text(customs, key, `customs.${key}`, true, "MissingCustomsException", "InvalidCustomsException");
    }
  }
  const value = get(customs, "deviceValue");
  if ((typeof value === "string" && value.trim() !== "" && !/^\d+(\.\d{1,2})?$/.test(value.trim())) || (typeof value === "number" && !(value >= 0))) {
    p.add("customs.deviceValue", "InvalidCustomsException", `customs.deviceValue must be an amount such as 250.00, found ${describe(value)}.`);
  }
}

function checkS3Import(p: Problems, m: Record<string, unknown>): void {
  p.text(m, "bucket", "bucket", true);
  p.text(m, "logBucket", "logBucket", false);
  p.text(m, "prefix", "prefix", false);
  p.oneOf(m, "acl", "acl", ACLS, false);
  for (const key of ["cacheControl", "contentDisposition", "contentLanguage", "defaultContentType", "diskTimestampMetadataKey", "expires", "storageClass"]) {
    p.text(m, key, key, false);
  }
  p.yesNo(m, "setContentEncodingForGzFiles", "setContentEncodingForGzFiles", false);
  p.stringMap(m, "contentTypes", "contentTypes");
  p.stringMap(m, "staticMetadata", "staticMetadata");
  p.stringMap(m, "substitutions", "substitutions");
  const ignore = get(m, "ignore");
  if (ignore !== undefined && ignore !== null) {
    if (!Array.isArray(ignore)) p.invalid("ignore", `must be a list of patterns, found ${describe(ignore)}.`);
    else ignore.forEach((pattern, i) => {
      if (typeof pattern !== "string") return p.invalid(`ignore[${i}]`, `must be a pattern, found ${describe(pattern)}.`);
      try {
        new RegExp(pattern);
      } catch {
        p.invalid(`ignore[${i}]`, `is not a valid regular expression: ${JSON.stringify(pattern)}.`);
      }
    });
  }
  if (has(m, "operations")) p.invalid("operations", "is only valid for Export jobs and manifestVersion 3.0 imports.");
  if (has(m, "fileSystem")) p.invalid("fileSystem", "is only valid for Export jobs.");
}

function checkExport(p: Problems, m: Record<string, unknown>): void {
  p.oneOf(m, "fileSystem", "fileSystem", FILE_SYSTEMS, true, "InvalidFileSystemException");
  p.text(m, "logBucket", "logBucket", true);
  p.text(m, "recoveryDirectory", "recoveryDirectory", false);
  p.stringMap(m, "substitutions", "substitutions");
  if (isBlank(get(m, "pinCode")) && isBlank(get(m, "trueCryptPassword"))) {
    p.missing("trueCryptPassword", " (an Export job needs trueCryptPassword or pinCode: exported data is always encrypted)");
  }
  if (has(m, "bucket")) p.invalid("bucket", "is an import option; an Export job names its buckets in operations[].exportBucket.");
  const ops = operationsOf(p, m);
  ops.forEach((op, i) => {
    const path = `operations[${i}]`;
    p.text(op, "exportBucket", `${path}.exportBucket`, true);
    for (const key of ["prefix", "beginMarker", "endMarker", "targetDirectory"]) p.text(op, key, `${path}.${key}`, false);
  });
}

function checkDeviceImport(p: Problems, m: Record<string, unknown>): void {
  p.text(m, "logBucket", "logBucket", true);
  if (has(m, "substitutions")) p.invalid("substitutions", "is only valid with manifestVersion 2.0.");
  if (has(m, "bucket")) p.invalid("bucket", "is an S3 import option; manifestVersion 3.0 imports name their target in operations.");
  const ops = operationsOf(p, m);
  ops.forEach((op, i) => {
    const path = `operations[${i}]`;
    p.oneOf(op, "destination", `${path}.destination`, DESTINATIONS, true);
    p.oneOf(op, "source", `${path}.source`, ["device"], true);
    const region = p.text(op, "region", `${path}.region`, true);
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) p.invalid(`${path}.region`, `must be a region such as us-east-1, found ${JSON.stringify(region)}.`);
    if (get(op, "destination") === "glacier") {
      p.text(op, "vaultName", `${path}.vaultName`, true);
      const comment = p.text(op, "archiveComment", `${path}.archiveComment`, true);
      if (comment !== undefined && comment.length > MAX_ARCHIVE_COMMENT) {
        p.invalid(`${path}.archiveComment`, `is ${comment.length} characters long; at most ${MAX_ARCHIVE_COMMENT} are allowed.`);
      }
    }
  });
}

function operationsOf(p: Problems, m: Record<string, unknown>): Record<string, unknown>[] {
  const ops = get(m, "operations");
  if (ops === undefined || ops === null || (Array.isArray(ops) && ops.length === 0)) {
    p.missing("operations");
    return [];
  }
  if (!Array.isArray(ops)) {
    p.invalid("operations", `must be a list, found ${describe(ops)}.`);
    return [];
  }
  const out: Record<string, unknown>[] = [];
  ops.forEach((op, i) => {
    if (isMapValue(op)) out.push(op);
    else p.invalid(`operations[${i}]`, `must be a map, found ${describe(op)}.`);
  });
  return out;
}

/**
 * Buckets a manifest names, with the option naming each: `bucket`, `logBucket`, `operations[i].exportBucket`.
 * The emulator checks these for NoSuchBucket, BucketPermission and MultipleRegions. Blank or non-text values are
 * skipped (the validator reports them).
 */
export function manifestBuckets(manifest: Manifest): ManifestBucketRef[] {
  const out: ManifestBucketRef[] = [];
  const m: unknown = manifest;
  if (!isMapValue(m)) return out;
  const add = (field: string, v: unknown): void => {
    if (typeof v === "string" && v.trim() !== "") out.push({ field, bucket: v });
  };
  add("bucket", get(m, "bucket"));
  const ops = get(m, "operations");
  if (Array.isArray(ops)) ops.forEach((op, i) => isMapValue(op) && add(`operations[${i}].exportBucket`, get(op, "exportBucket")));
  add("logBucket", get(m, "logBucket"));
  return out;
}
