/**
 * `pulumi-importexport`: AWS Import/Export disk-shipping jobs as Pulumi resources.
 *
 * `ImportExportJob` and its types; the manifest types are re-exported so a program needs one import.
 * The SDK is at `pulumi-importexport/sdk`, the emulator at `pulumi-importexport/emulator`.
 */
export { ImportExportJob } from "./resource";
export type { ImportExportJobArgs } from "./resource";
export type { ShippingLabelAddress } from "./inputs";
export type { ImportExportJobSigning, ImportExportJobStatus, JobArtifact } from "./outputs";
export type {
  Manifest, ManifestJobType, ManifestOperation, ExportOperation, DeviceImportOperation, ReturnAddress, Customs, YesNo,
} from "../sdk/manifest";
