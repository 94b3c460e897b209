/**
 * `pulumi-importexport`: AWS Import/Export disk-shipping jobs as Pulumi resources.
 *
 * `ImportExportJob` and its types; the manifest types are re-exported so a program needs one import.
 * The SDK is at `pulumi-importexport/sdk`, the emulator at `pulumi-importexport/emulator`.
 */
// First, so that Pulumi stores the provider as a require() of this path (./import-export-provider says why).
import "./import-export-provider";

export { ImportExportJob } from "./importexport/resource";
export type { ImportExportJobArgs } from "./importexport/resource";
export type { ShippingLabelAddress } from "./importexport/inputs";
export type { ImportExportJobSigning, ImportExportJobStatus, JobArtifact } from "./importexport/outputs";
export type {
  Manifest, ManifestJobType, ManifestOperation, ExportOperation, DeviceImportOperation, ReturnAddress, Customs, YesNo,
} from "../sdk/manifest";
