/**
 * The TypeScript face of the native plugin (`pulumi-importexport/native`): thin classes over the plugin's type
 * tokens. Preview/experimental (docs/native.md).
 *
 * ```ts
 * import { Provider, ImportExportJob } from "pulumi-importexport/native";
 * const acct = new Provider("alice", { endpoint: "http://127.0.0.1:4566", accessKeyId, secretAccessKey });
 * const photos = new ImportExportJob("photos", { jobType: "Import", manifest: { … } }, { provider: acct });
 * ```
 *
 * Hand-written, not generated from the schema: the classes are small, and the schema's property lists are themselves
 * still written out (./resources) until they are derived from the provider's per-field definitions.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  JOB_SIGNING_MEMBERS, JOB_STATUS_MEMBERS, defineGroupedOutputs,
  type ImportExportJobSigning, type ImportExportJobStatus, type Manifest, type ShippingLabelAddress,
} from "./resources";

/** The plugin's package name: the provider resource is `pulumi:providers:importexport`. */
export const PACKAGE = "importexport";

/** Settings of a {@link Provider}: the same names as the dynamic face's `importexport:*` stack config. */
export interface ProviderArgs {
  /** Endpoint URL (default: AWS_ENDPOINT_URL_IMPORTEXPORT, AWS_ENDPOINT_URL, then the global endpoint). */
  endpoint?: pulumi.Input<string>;
  /** Signing region (default: AWS_REGION / AWS_DEFAULT_REGION). */
  region?: pulumi.Input<string>;
  /** AWS shared-config profile for the default credential chain. */
  profile?: pulumi.Input<string>;
  /** Static access key id (with `secretAccessKey`); otherwise the AWS default credential chain. */
  accessKeyId?: pulumi.Input<string>;
  /** Static secret access key (with `accessKeyId`); always stored as a secret. */
  secretAccessKey?: pulumi.Input<string>;
  /** `v2` (the service's own signing) or `v4`. */
  signatureVersion?: pulumi.Input<"v2" | "v4">;
  /** Validate new or changed manifests with the service during preview (default: on when credentials resolve). */
  validateOnPreview?: pulumi.Input<boolean>;
}

/** An explicit provider of the plugin: one account, endpoint and region per instance. */
export class Provider extends pulumi.ProviderResource {
  /**
   * @param name The unique name of the provider.
   * @param args Its settings; unset ones fall back to the environment.
   * @param opts Resource options.
   */
  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    const props: Record<string, pulumi.Input<unknown> | undefined> = { ...args };
    if (args.secretAccessKey !== undefined) props["secretAccessKey"] = pulumi.secret(args.secretAccessKey);
    super(PACKAGE, name, props, opts);
  }
}

/** Inputs of an {@link ImportExportJob} (the same as the dynamic face's). */
export interface ImportExportJobArgs {
  /** `Import` or `Export`. Changeable in place while the job is Pending. */
  jobType: pulumi.Input<"Import" | "Export">;
  /** The manifest (object or YAML text). In place while Pending; once the transfer has started a change replaces the job. */
  manifest: pulumi.Input<Manifest | string> | pulumi.Input<Record<string, unknown>>;
  /** When set, GetShippingLabel runs with this (sender's) address. */
  shippingLabel?: pulumi.Input<ShippingLabelAddress>;
  /** Take over an existing job instead of creating one; changing it replaces the resource. */
  adoptJobId?: pulumi.Input<string>;
  /** Cancel the job on delete/replacement even when its transfer is InProgress (default false). */
  cancelInProgress?: pulumi.Input<boolean>;
}

/** The outputs registered besides the inputs; the flat ones (`progressCode`, `signature`, …) are getters over them. */
const REGISTERED_OUTPUTS = ["jobId", "status", "signing"] as const;

/** The inputs, also outputs: a job read by {@link ImportExportJob.get} registers them without values. */
const INPUTS = ["jobType", "manifest", "shippingLabel", "adoptJobId", "cancelInProgress"] as const satisfies readonly (keyof ImportExportJobArgs)[];

/** An AWS Import/Export job served by the native plugin (`importexport:index:ImportExportJob`). */
export class ImportExportJob extends pulumi.CustomResource {
  /** The type token. */
  static readonly __pulumiType = "importexport:index:ImportExportJob";

  /** The JobId (5 characters); also the resource id. */
  declare readonly jobId: pulumi.Output<string>;
  declare readonly jobType: pulumi.Output<"Import" | "Export">;
  /** The manifest as given, in canonical YAML. */
  declare readonly manifest: pulumi.Output<string>;
  declare readonly shippingLabel: pulumi.Output<ShippingLabelAddress | undefined>;
  declare readonly adoptJobId: pulumi.Output<string | undefined>;
  declare readonly cancelInProgress: pulumi.Output<boolean | undefined>;
  /** What the service reports about the job; each member is also an output of its own name. */
  declare readonly status: pulumi.Output<ImportExportJobStatus>;
  /** The job's signature and signature file (secret); each member is also an output of its own name. */
  declare readonly signing: pulumi.Output<ImportExportJobSigning>;
  declare readonly signature: pulumi.Output<string>;
  declare readonly signatureFileContents: pulumi.Output<string>;
  declare readonly progressCode: pulumi.Output<string | undefined>;
  declare readonly locationCode: pulumi.Output<string | undefined>;
  declare readonly manifestYaml: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string | undefined>;

  /**
   * @param name The unique name of the resource.
   * @param args The job's inputs.
   * @param opts Resource options (`provider` picks the account; `customTimeouts`, `replaceOnChanges` reach the engine).
   */
  constructor(name: string, args: ImportExportJobArgs, opts?: pulumi.CustomResourceOptions) {
    const seeded = Object.fromEntries(REGISTERED_OUTPUTS.map((k) => [k, undefined]));
    const read = opts?.id !== undefined;
    super(ImportExportJob.__pulumiType, name, read ? { ...seeded, ...Object.fromEntries(INPUTS.map((k) => [k, undefined])) } : { ...seeded, ...args }, opts);
  }

  /** The existing job `id` as a resource of this program (read, not managed). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ImportExportJob {
    return new ImportExportJob(name, undefined as unknown as ImportExportJobArgs, { ...opts, id });
  }
}

defineGroupedOutputs(ImportExportJob.prototype, "status", JOB_STATUS_MEMBERS);
defineGroupedOutputs(ImportExportJob.prototype, "signing", JOB_SIGNING_MEMBERS);
