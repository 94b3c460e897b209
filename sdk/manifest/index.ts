/**
 * Manifests: the typed model, the YAML codec and the validator (spec §5). Entry point `pulumi-importexport/sdk`
 * re-exports all of it.
 */
export type { Manifest, ManifestJobType, ManifestOperation, ExportOperation, DeviceImportOperation, ReturnAddress, Customs, YesNo } from "./types";
export { parseManifest, stringifyManifest, parseYesNo, ManifestSyntaxError, ManifestStructureError } from "./codec";
export { MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH, MAX_MANIFEST_ENTRIES } from "./limits";
export { validateManifest, manifestBuckets } from "./validate";
export type { ManifestProblem, ManifestBucketRef, ValidateManifestOptions } from "./validate";
