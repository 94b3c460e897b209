/**
 * The typed model of an Import/Export manifest (spec §5): the YAML document a job carries in its `Manifest`
 * parameter. Keys are spelled exactly as in the YAML. There is no index signature: a misspelt option
 * (`eraseDevcie`) in an object literal is a compile error, and `validateManifest` refuses it in YAML text too
 * (./keys.ts holds the one list of known options per map, which these interfaces must match).
 */
import type { ShippingAddressMember } from "../model";

/**
 * A yes/no option. `true`/`false` in TypeScript; in YAML the service writes `yes`/`no`. On input the codec also
 * accepts `true`/`false` in any case. A string that is none of these is kept as written so that the validator
 * can report it with `InvalidManifestFieldException`.
 */
export type YesNo = boolean | string;

/**
 * `returnAddress` (spec §5.7): where AWS ships the device back. Its fields are GetShippingLabel's address members
 * (`shippingAddressMembers` in sdk/model.ts), each optional text.
 */
// An interface (not a type alias) as before issue 21, so the public kind of the name is unchanged.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReturnAddress extends Partial<Record<ShippingAddressMember, string>> {}

/** `customs` (spec §5.6): required for international returns outside the EU. */
export interface Customs {
  dataDescription?: string;
  encryptedData?: YesNo;
  encryptionClassification?: string;
  exportCertifierName?: string;
  requiresExportLicense?: YesNo;
  deviceValue?: string;
  deviceCountryOfOrigin?: string;
  deviceType?: string;
  typeOfExport?: string;
}

/** One entry of an S3 export job's `operations` list (spec §5.4). */
export interface ExportOperation {
  exportBucket?: string;
  prefix?: string;
  beginMarker?: string;
  endMarker?: string;
  targetDirectory?: string;
}

/** One entry of an EBS or Glacier import job's `operations` list (manifestVersion 3.0, spec §5.5). */
export interface DeviceImportOperation {
  /** `ebs-snapshot` or `glacier`. */
  destination?: string;
  /** Always `device`. */
  source?: string;
  /** Region of the snapshot or vault, e.g. `us-east-1`. */
  region?: string;
  /** Glacier only: an existing vault. */
  vaultName?: string;
  /** Glacier only: at most 997 characters. */
  archiveComment?: string;
}

/** An entry of `operations`: S3 export or EBS/Glacier import. */
export type ManifestOperation = ExportOperation & DeviceImportOperation;

/**
 * A manifest. Every option of spec §5: common options, S3 import, S3 export, EBS/Glacier import (3.0),
 * `customs`, `returnAddress`. Scalars are strings as written (`manifestVersion: "2.0"`, `postalCode: "91111"`);
 * yes/no options are booleans once parsed.
 */
export interface Manifest {
  // Common options (§5.2).
  /** `2.0` for S3 import and export, `3.0` for EBS and Glacier import. */
  manifestVersion?: string;
  /** Must equal the access key that signs CreateJob (`InvalidAccessKeyIdException`). */
  accessKeyId?: string;
  /** Serial number or sticker ID of the device. */
  deviceId?: string;
  /** Name of the tool that wrote the manifest. */
  generator?: string;
  /** Required for S3 export and EBS/Glacier import; defaults to `bucket` for S3 import. */
  logBucket?: string;
  /** Prepended to the log name (no `/` added). */
  logPrefix?: string;
  /** One or more addresses separated by `;`. */
  notificationEmail?: string;
  /** `standard` (default) or `expeditedShipping`. */
  serviceLevel?: string;
  /** Acknowledges that the device is erased before it is returned. Required for manifestVersion 3.0. */
  eraseDevice?: YesNo;
  /** PIN of a hardware-encrypted device (export: this or `trueCryptPassword` is required). */
  pinCode?: string;
  /** Password of the TrueCrypt container (export: encrypt with it; import: read with it). */
  trueCryptPassword?: string;
  returnAddress?: ReturnAddress;
  customs?: Customs;

  // Import to S3 (§5.3).
  bucket?: string;
  acl?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** File extension (case-sensitive) → MIME type. */
  contentTypes?: Record<string, string>;
  defaultContentType?: string;
  diskTimestampMetadataKey?: string;
  expires?: string;
  /** Java regular expressions of files and directories to skip. */
  ignore?: string[];
  /** Prepended to every key (S3 import). */
  prefix?: string;
  setContentEncodingForGzFiles?: YesNo;
  staticMetadata?: Record<string, string>;
  storageClass?: string;
  /** Substring replacements applied to keys / device paths (manifestVersion 2.0 only). */
  substitutions?: Record<string, string>;

  // Export from S3 (§5.4) and EBS/Glacier import (§5.5).
  /** `NTFS` or `EXT4` (export). */
  fileSystem?: string;
  /** Where files with illegal names go (export). */
  recoveryDirectory?: string;
  operations?: ManifestOperation[];
}

/** Job type a manifest is validated for (`JobType` request member). */
export type ManifestJobType = "Import" | "Export";
