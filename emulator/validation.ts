import { parse as parseYaml } from "yaml";

/**
 * Manifest validation seam. PLACEHOLDER: a minimal validator used only until the SDK's `sdk/manifest` module
 * (`parseManifest`, `validateManifest`, `manifestBuckets`) exists; then this file delegates to it so the client
 * and the emulator share one validator (design.md principle 1). Nothing else in emulator/ parses manifests.
 */

/** One manifest problem, with the service error code it maps to (spec §5.8). */
export interface ManifestIssue {
  path: string;
  code: string;
  message: string;
}

/** What the emulator needs from a manifest beyond pure syntax/field rules. */
export interface ManifestCheck {
  /** Problems found; empty when the manifest is acceptable. */
  issues: ManifestIssue[];
  /** Buckets the manifest names (`bucket`, `logBucket`, `operations[].exportBucket`). */
  buckets: { field: string; bucket: string }[];
  /** The manifest's `accessKeyId`, when present. */
  accessKeyId?: string;
  /** `logBucket` and `logPrefix`, for LogBucket/LogKey in GetStatus. */
  logBucket?: string;
  logPrefix?: string;
  /** The import `bucket`, the default log bucket of S3 imports. */
  bucket?: string;
  /** `returnAddress`, used as the default shipper address for GetShippingLabel. */
  returnAddress?: Record<string, string>;
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** Parses and validates `manifestText` for `jobType` ("Import" | "Export"). Never throws. */
export function checkManifest(manifestText: string, jobType: "Import" | "Export"): ManifestCheck {
  let doc: unknown;
  try {
    doc = parseYaml(manifestText, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : "unparseable";
    return { issues: [{ path: "", code: "MalformedManifestException", message: `The manifest is not well-formed YAML: ${reason}` }], buckets: [] };
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return { issues: [{ path: "", code: "MalformedManifestException", message: "The manifest's root must be a map of option names to values." }], buckets: [] };
  }
  const m = doc as Record<string, unknown>;
  const issues: ManifestIssue[] = [];
  const missing = (path: string): void => {
    issues.push({ path, code: "MissingManifestFieldException", message: `Missing required manifest field: ${path}` });
  };
  const rawVersion = m["manifestVersion"];
  // YAML reads `2.0` as the number 2; the manifest means the version "2.0".
  const version = typeof rawVersion === "number" && Number.isInteger(rawVersion) ? rawVersion.toFixed(1) : text(rawVersion);
  if (version === undefined) missing("manifestVersion");
  else if (!/^\d+\.\d+$/.test(version)) {
    issues.push({ path: "manifestVersion", code: "InvalidManifestFieldException", message: `manifestVersion must be a version such as 2.0 (got "${version}").` });
  }
  if (text(m["deviceId"]) === undefined) missing("deviceId");
  const address = m["returnAddress"];
  let returnAddress: Record<string, string> | undefined;
  if (address === undefined) missing("returnAddress");
  else if (address === null || typeof address !== "object" || Array.isArray(address)) {
    issues.push({ path: "returnAddress", code: "InvalidAddressException", message: "returnAddress must be a map of address fields." });
  } else {
    returnAddress = {};
    for (const [k, v] of Object.entries(address)) {
      const t = text(v);
      if (t !== undefined) returnAddress[k] = t;
    }
    for (const field of ["name", "street1", "city", "postalCode", "phoneNumber", "country"]) {
      if (!returnAddress[field]) {
        issues.push({ path: `returnAddress.${field}`, code: "InvalidAddressException", message: `returnAddress.${field} is required.` });
      }
    }
  }
  const buckets: { field: string; bucket: string }[] = [];
  const bucket = text(m["bucket"]);
  const logBucket = text(m["logBucket"]);
  if (bucket !== undefined) buckets.push({ field: "bucket", bucket });
  if (logBucket !== undefined) buckets.push({ field: "logBucket", bucket: logBucket });
  const operations = m["operations"];
  if (Array.isArray(operations)) {
    operations.forEach((op, i) => {
      const exportBucket = op !== null && typeof op === "object" ? text((op as Record<string, unknown>)["exportBucket"]) : undefined;
      if (exportBucket !== undefined) buckets.push({ field: `operations[${i}].exportBucket`, bucket: exportBucket });
      else if (jobType === "Export") missing(`operations[${i}].exportBucket`);
    });
  }
  const isV3 = version === "3.0";
  if (jobType === "Import" && !isV3 && bucket === undefined) missing("bucket");
  if (jobType === "Export") {
    if (!Array.isArray(operations) || operations.length === 0) missing("operations");
    if (logBucket === undefined) missing("logBucket");
    const fs = text(m["fileSystem"]);
    if (fs === undefined) missing("fileSystem");
    else if (fs !== "NTFS" && fs !== "EXT4") {
      issues.push({ path: "fileSystem", code: "InvalidFileSystemException", message: `fileSystem must be NTFS or EXT4 (got "${fs}").` });
    }
  }
  const result: ManifestCheck = { issues, buckets };
  const accessKeyId = text(m["accessKeyId"]);
  if (accessKeyId !== undefined) result.accessKeyId = accessKeyId;
  if (logBucket !== undefined) result.logBucket = logBucket;
  const logPrefix = text(m["logPrefix"]);
  if (logPrefix !== undefined) result.logPrefix = logPrefix;
  if (bucket !== undefined) result.bucket = bucket;
  if (returnAddress !== undefined) result.returnAddress = returnAddress;
  return result;
}
