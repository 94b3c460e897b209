/**
 * The TypeScript face of the native plugin (`pulumi-importexport/native`): thin classes over the plugin's type
 * tokens. Preview/experimental (docs/native.md).
 *
 * ```ts
 * import { ImportExportJob, IotJob, Provider } from "pulumi-importexport/native";
 * const alice = new Provider("alice", { endpoint: "http://127.0.0.1:4599", accessKeyId, secretAccessKey });
 * const photos = new ImportExportJob("photos", { jobType: "Import", manifest: { … } }, { provider: alice });
 * ```
 *
 * Hand-written, not generated from the schema: each class is a few lines over the resource's definition (the same
 * one the schema is read from): its inputs are the dynamic face's Args types, its outputs the dynamic face's, as
 * getters over the registered groups. Generated classes would add a code generator and a build step for that.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  defineOutputGetters, importExportJobDefinition, iotJobDefinition, readInputs, registeredOutputs,
  type DynamicImportExportJob, type DynamicIotJob, type ImportExportJobArgs, type IotJobArgs, type ResourceDefinition,
} from "./resources";

export type { ImportExportJobArgs, IotJobArgs };

/** The plugin's package name: the provider resource is `pulumi:providers:importexport`. */
export const PACKAGE = "importexport";

/** Settings of a {@link Provider}: the same names as the dynamic face's `importexport:*` stack config. */
export interface ProviderArgs {
  /** Endpoint URL of both services (the emulator serves both); default: each service's environment variables, then its AWS endpoint. */
  endpoint?: pulumi.Input<string>;
  /** Signing region (default: AWS_REGION / AWS_DEFAULT_REGION). */
  region?: pulumi.Input<string>;
  /** AWS shared-config profile for the default credential chain. */
  profile?: pulumi.Input<string>;
  /** Static access key id (with `secretAccessKey`); otherwise the AWS default credential chain. */
  accessKeyId?: pulumi.Input<string>;
  /** Static secret access key (with `accessKeyId`); always stored as a secret. */
  secretAccessKey?: pulumi.Input<string>;
  /** Import/Export signing: `v2` (the service's own) or `v4`. */
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

/**
 * The props a class registers: `outputs` and its output groups seeded, then the program's inputs (or, for `get`,
 * every input named). Each registered key costs the program an Output per resource, in every preview.
 */
function props(definition: ResourceDefinition, args: object | undefined, read: boolean, outputs: readonly string[] = []): Record<string, unknown> {
  const seeded = Object.fromEntries([...outputs, ...registeredOutputs(definition)].map((k) => [k, undefined]));
  return { ...seeded, ...(read ? readInputs(definition) : args) };
}

/** The outputs of the dynamic face's ImportExportJob (the same names here), besides the id. */
type ImportExportJobOutputs = Omit<DynamicImportExportJob, keyof pulumi.CustomResource | "jobId">;

/** An AWS Import/Export job served by the native plugin (`importexport:index:ImportExportJob`). */
export interface ImportExportJob extends ImportExportJobOutputs {}
export class ImportExportJob extends pulumi.CustomResource {
  /** The JobId (5 characters): the resource id (read from it, as the dynamic face's class does, not registered). */
  get jobId(): pulumi.Output<string> {
    return this.id;
  }

  /**
   * @param name The unique name of the resource.
   * @param args The job's inputs (the same as the dynamic face's).
   * @param opts Resource options (`provider` picks the account; `replaceOnChanges`, `ignoreChanges`, `protect` reach the engine).
   */
  constructor(name: string, args: ImportExportJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(importExportJobDefinition.token, name, props(importExportJobDefinition, args, opts?.id !== undefined), opts);
  }

  /** The existing job `id` read into the program, not managed (destroy leaves it alone). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ImportExportJob {
    return new ImportExportJob(name, undefined as unknown as ImportExportJobArgs, { ...opts, id });
  }
}
defineOutputGetters(ImportExportJob.prototype, importExportJobDefinition);

/** The outputs of the dynamic face's IotJob (the same names here), besides the jobId. */
type IotJobOutputs = Omit<DynamicIotJob, keyof pulumi.CustomResource | "jobId">;

/** An AWS IoT job served by the native plugin (`importexport:index:IotJob`). */
export interface IotJob extends IotJobOutputs {}
export class IotJob extends pulumi.CustomResource {
  /** The job ID (the given one or the generated `<name>-<7 chars>`); also the resource id. */
  declare readonly jobId: pulumi.Output<string>;

  /**
   * @param name The unique name of the resource (also the prefix of a generated jobId).
   * @param args The job's inputs (the same as the dynamic face's).
   * @param opts Resource options.
   */
  constructor(name: string, args: IotJobArgs, opts?: pulumi.CustomResourceOptions) {
    // `jobId` is an input as well (a fixed job ID), so it is registered rather than read from the id.
    super(iotJobDefinition.token, name, props(iotJobDefinition, args, opts?.id !== undefined, ["jobId"]), opts);
  }

  /** The existing IoT job `id` read into the program, not managed (destroy leaves it alone). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): IotJob {
    return new IotJob(name, undefined as unknown as IotJobArgs, { ...opts, id });
  }
}
defineOutputGetters(IotJob.prototype, iotJobDefinition);
