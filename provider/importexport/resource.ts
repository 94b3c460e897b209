/**
 * `ImportExportJob`: an AWS Import/Export disk-shipping job as a Pulumi resource.
 *
 * ```ts
 * import { ImportExportJob } from "pulumi-importexport";
 * const photos = new ImportExportJob("photos", {
 *   jobType: "Import",
 *   manifest: { manifestVersion: "2.0", deviceId: "49382", eraseDevice: true, bucket: "my-photos", returnAddress: { … } },
 * });
 * export const signature = photos.signatureFileContents; // secret
 * ```
 *
 * Type token `pulumi-nodejs:dynamic/importexport:ImportExportJob`. Stack config: `importexport:endpoint`, `region`,
 * `profile`, `accessKeyId`, `secretAccessKey` (secret), `signatureVersion`, `validateOnPreview` (docs/provider.md).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "../../sdk/manifest";
import type { ArgsMatch } from "../core/definition";
import { defineOutputGetters, readInputs, resourceArgs, withSecretOutputs, type DeepInput } from "../core/resource";
import { providerForState } from "../core/serialized";
import { suspendStackTraces } from "../core/stack-traces";
import { updateRunInputs } from "../core/update-run";
import importExportJobProvider from "./provider";
import { importExportJobDefinition as definition } from "./definition";
import type { ShippingLabelAddress } from "./inputs";
import type { ImportExportJobSigning, ImportExportJobStatus, JobArtifact } from "./outputs";

/** Inputs of an {@link ImportExportJob}. */
export interface ImportExportJobArgs {
  /** `Import` (device → S3, EBS or Glacier) or `Export` (S3 → device). Changeable in place while the job is Pending. */
  jobType: pulumi.Input<"Import" | "Export">;
  /**
   * The job's manifest: a typed {@link Manifest} or its YAML text. Normalised to canonical YAML, so reformatting is
   * no change. Changeable in place (UpdateJob) while the job is `Pending`; once the transfer has started, a change
   * replaces the job. When `accessKeyId` is omitted it is filled from the signing credentials in what is sent.
   * Device passwords (`trueCryptPassword`, `pinCode`) are never shown in `manifestYaml`; pass the manifest as a
   * secret (`pulumi.secret(...)`) to keep them encrypted in state too.
   */
  manifest: DeepInput<Manifest> | pulumi.Input<string>;
  /** When set, GetShippingLabel runs with this (sender's) address and `shippingLabelUrl` holds the label's URL. */
  shippingLabel?: DeepInput<ShippingLabelAddress>;
  /**
   * Take over an existing job instead of creating one (`pulumi import` does not work for dynamic resources). The job
   * must exist and belong to the account of the credentials; if its manifest differs it is updated while Pending,
   * and adoption fails with an explanation otherwise. Changing it replaces the resource.
   */
  adoptJobId?: pulumi.Input<string>;
  /**
   * Cancel the job on delete/replacement even when its transfer is `InProgress` (default false: an in-flight job is
   * released from the stack with a warning, because cancelling would discard the work done). Pending jobs are
   * always cancelled; finished jobs never need it.
   */
  cancelInProgress?: pulumi.Input<boolean>;
}

// The interface above is written out for its doc comments; it must name exactly the definition's program inputs,
// with the same ones required (a field added to or removed from one side only fails to compile here).
const argsMatch: ArgsMatch<ImportExportJobArgs, typeof definition.inputs> = true;
void argsMatch;

/** An AWS Import/Export job. Create → CreateJob; update → UpdateJob (Pending only); refresh → GetStatus; delete → CancelJob. */
export class ImportExportJob extends pulumi.dynamic.Resource {
  /** The JobId (5 characters): the resource id. */
  get jobId(): pulumi.Output<string> {
    return this.id;
  }
  /** `Import` or `Export`. */
  declare readonly jobType: pulumi.Output<"Import" | "Export">;
  /** The manifest as given, in canonical YAML (without the filled-in accessKeyId). */
  declare readonly manifest: pulumi.Output<string>;
  /** The address passed to GetShippingLabel, if any. */
  declare readonly shippingLabel: pulumi.Output<ShippingLabelAddress | undefined>;
  /** The adopted JobId, if any. */
  declare readonly adoptJobId: pulumi.Output<string | undefined>;
  /** Whether delete cancels an InProgress job. */
  declare readonly cancelInProgress: pulumi.Output<boolean | undefined>;
  /**
   * Everything the service reports about the job and where it lives, as of the last create/update/refresh, in one
   * output; each member is also an output of its own name (`progressCode`, `manifestYaml`, ...).
   */
  declare readonly status: pulumi.Output<ImportExportJobStatus>;
  /** The job's `signature` and `signatureFileContents` in one secret output; each is also an output of its own name. */
  declare readonly signing: pulumi.Output<ImportExportJobSigning>;
  /** Base64 HMAC-SHA1 signature authenticating the device (secret). */
  declare readonly signature: pulumi.Output<string>;
  /** Text of the SIGNATURE file to put in the device's root directory (secret). */
  declare readonly signatureFileContents: pulumi.Output<string>;
  /** Where to ship the device. */
  declare readonly awsShippingAddress: pulumi.Output<string | undefined>;
  /** Non-fatal notes from CreateJob/UpdateJob/GetShippingLabel. */
  declare readonly warningMessage: pulumi.Output<string | undefined>;
  /** Documents the service produced (e.g. PDFs). */
  declare readonly artifacts: pulumi.Output<JobArtifact[] | undefined>;
  /** Where the device is: `NotReceived`, `AtAWS`, `Returned`. */
  declare readonly locationCode: pulumi.Output<string | undefined>;
  /** Human text for `locationCode`. */
  declare readonly locationMessage: pulumi.Output<string | undefined>;
  /** Job progress: `Pending`, `InProgress`, `Complete`, `SuccessWithErrors`, an abort code, ... */
  declare readonly progressCode: pulumi.Output<string | undefined>;
  /** Human text for `progressCode`. */
  declare readonly progressMessage: pulumi.Output<string | undefined>;
  /** Return shipping company (once returned). */
  declare readonly carrier: pulumi.Output<string | undefined>;
  /** Return tracking number (once returned). */
  declare readonly trackingNumber: pulumi.Output<string | undefined>;
  /** Bucket of the job's log. */
  declare readonly logBucket: pulumi.Output<string | undefined>;
  /** Key of the job's log. */
  declare readonly logKey: pulumi.Output<string | undefined>;
  /** Number of errors the transfer reported. */
  declare readonly errorCount: pulumi.Output<number | undefined>;
  /** When the job was created (ISO 8601). */
  declare readonly creationDate: pulumi.Output<string | undefined>;
  /** URL of the prepaid shipping label (when `shippingLabel` is set). */
  declare readonly shippingLabelUrl: pulumi.Output<string | undefined>;
  /** The normalised manifest sent to the service (device passwords redacted). */
  declare readonly manifestYaml: pulumi.Output<string>;
  /** The endpoint the job lives at; a stack pointed elsewhere replaces the job. */
  declare readonly endpoint: pulumi.Output<string>;
  /** The account that owns the job (STS GetCallerIdentity), when the endpoint answers it. */
  declare readonly accountId: pulumi.Output<string | undefined>;

  /**
   * @param name The unique name of the resource.
   * @param args The job's inputs.
   * @param opts Resource options (`additionalSecretOutputs` always includes `signing`, which holds `signature` and `signatureFileContents`).
   */
  constructor(name: string, args: ImportExportJobArgs, opts?: pulumi.CustomResourceOptions) {
    // The outputs it registers besides its inputs are the definition's groups: `signing` (the two secrets, a secret
    // output of its own because `additionalSecretOutputs` marks whole outputs) and `status` (every other output);
    // the flat outputs are getters over them (../core/grouped-outputs says why), and `jobId` is the resource id.
    // During an update, check is told so (../core/update-run): a new job is validated by its CreateJob alone.
    const r = resourceArgs(definition, { ...args, ...updateRunInputs(pulumi.runtime.isDryRun()) }, opts);
    const resume = suspendStackTraces(); // ../core/stack-traces says why
    try {
      super(providerForState(importExportJobProvider), name, r.props, r.opts, "importexport", "ImportExportJob");
    } finally {
      resume();
    }
  }

  /**
   * Reads an existing job into the program without managing it (`pulumi up` never changes or cancels it): every
   * output, as GetStatus reports it with the stack's credentials. To manage an existing job, declare the resource
   * with `adoptJobId` instead.
   *
   * @param name The unique name of the resource in this program.
   * @param id The JobId.
   * @param opts Resource options.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ImportExportJob {
    // The `{ id }` read form: the engine reads the job through the provider's `read`. No input is given, but each is
    // named, so that its value as read (jobType, manifest, ...) is an output of the object too. The manifest as the
    // service holds it may carry a device password, and no secret input marks it (the engine keeps a read value secret
    // only when its input was): so it is a secret output.
    return new ImportExportJob(name, readInputs(definition) as unknown as ImportExportJobArgs, withSecretOutputs({ ...opts, id }, ["manifest"]));
  }
}

defineOutputGetters(ImportExportJob.prototype, definition);

// Each output of the definition is a member of the class (a getter over its group, or the id).
const everyOutputDeclared: Exclude<keyof typeof definition.outputs, keyof ImportExportJob> extends never ? true : false = true;
void everyOutputDeclared;
