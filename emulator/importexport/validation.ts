import { ManifestSyntaxError, manifestBuckets, parseManifest, validateManifest, type Manifest } from "../../sdk/manifest";

/**
 * The emulator's one seam to manifest validation. Parsing and the field rules are the SDK's (`sdk/manifest`:
 * one validator for client, provider, CLI and emulator, design.md principle 1); this module only extracts what the
 * emulator's own state needs (buckets for NoSuchBucket/BucketPermission/MultipleRegions, the `accessKeyId` for
 * InvalidAccessKeyId, log target, return address).
 */

/** One manifest problem, with the service error code it maps to (spec §5.8). */
export interface ManifestIssue {
  path: string;
  code: string;
  message: string;
}

/** What the emulator needs from a manifest. */
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
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * Parses and validates `manifestText` for `jobType`. `regionOf` tells the region of a bucket the emulator knows
 * (undefined for unknown buckets); the first known bucket's region is the facility that decides whether customs
 * information is required. Never throws.
 */
export function checkManifest(manifestText: string, jobType: "Import" | "Export", regionOf: (bucket: string) => string | undefined): ManifestCheck {
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestText);
  } catch (e) {
    const message = e instanceof ManifestSyntaxError ? e.message : "Your manifest is not well-formed.";
    return { issues: [{ path: "", code: "MalformedManifestException", message }], buckets: [] };
  }
  const buckets = manifestBuckets(manifest);
  let facilityRegion: string | undefined;
  for (const { bucket } of buckets) {
    facilityRegion ??= regionOf(bucket);
  }
  const issues = validateManifest(manifest, jobType, facilityRegion === undefined ? {} : { facilityRegion });
  const m = manifest as Record<string, unknown>;
  const result: ManifestCheck = { issues, buckets };
  const accessKeyId = text(m["accessKeyId"]);
  if (accessKeyId !== undefined) result.accessKeyId = accessKeyId;
  const logBucket = text(m["logBucket"]);
  if (logBucket !== undefined) result.logBucket = logBucket;
  const logPrefix = typeof m["logPrefix"] === "string" ? m["logPrefix"] : undefined;
  if (logPrefix !== undefined) result.logPrefix = logPrefix;
  const bucket = text(m["bucket"]);
  if (bucket !== undefined) result.bucket = bucket;
  return result;
}
