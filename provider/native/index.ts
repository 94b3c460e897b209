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
  type DynamicImportExportJob, type DynamicIotJob, type ImportExportJobArgs, type IotJobArgs, type ResourceDefinition, type SettingsMatch, suspendStackTraces, updateRunInputs,
} from "./resources";

export type { ImportExportJobArgs, IotJobArgs };

/** The plugin's package name: the provider resource is `pulumi:providers:importexport`. */
export const PACKAGE = "importexport";

/**
 * Settings of a {@link Provider}: the same names as the dynamic face's `importexport:*` stack config (their
 * definitions, ../core/setting-definitions, give the schema's descriptions and the checks; `settingsMatch` below
 * proves this interface names exactly them).
 */
export interface ProviderArgs {
  /** Endpoint URL of Import/Export, and of IoT when `iotEndpoint` is unset (the emulator serves both); default: the environment, then the service's endpoint. */
  endpoint?: pulumi.Input<string>;
  /** Endpoint URL of IoT (IotJob); default: `endpoint`, then AWS_ENDPOINT_URL_IOT / AWS_ENDPOINT_URL, then https://iot.<region>.amazonaws.com. */
  iotEndpoint?: pulumi.Input<string>;
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
const settingsMatch: SettingsMatch<ProviderArgs> = true;
void settingsMatch;

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
function props(definition: ResourceDefinition, args: object | undefined, read: boolean, outputs: readonly string[]): Record<string, unknown> {
  const seeded = Object.fromEntries([...outputs, ...registeredOutputs(definition)].map((k) => [k, undefined]));
  return { ...seeded, ...(read ? readInputs(definition) : args) };
}

/**
 * What both job classes share: registering the job under its definition's token with its outputs seeded, and a typed
 * static `get`. Each exported class adds its constructor's types, its doc comment and its output types (merged in
 * from the dynamic face's class, so the names cannot differ), and the flat getters over its definition's groups.
 */
abstract class NativeJob<Args extends object> extends pulumi.CustomResource {
  /** `outputs`: registered outputs besides the definition's groups (IotJob's `jobId`, which is an input as well). */
  protected constructor(definition: ResourceDefinition, name: string, args: Args, opts: pulumi.CustomResourceOptions | undefined, outputs: readonly string[] = []) {
    const registered = props(definition, args, opts?.id !== undefined, outputs);
    const resume = suspendStackTraces(); // ../core/stack-traces says why
    try {
      super(definition.token, name, registered, opts);
    } finally {
      resume();
    }
  }

  /**
   * The existing job `id` read into the program, not managed (destroy leaves it alone).
   * @param name The unique name of the resource in this program.
   * @param id The job's id (its JobId, or its IoT jobId).
   * @param opts Resource options (`provider` picks the account to read it with).
   */
  static get<T>(this: new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => T, name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): T {
    return new this(name, undefined as never, { ...opts, id });
  }
}

/** The outputs of the dynamic face's ImportExportJob (the same names here), besides the id. */
type ImportExportJobOutputs = Omit<DynamicImportExportJob, keyof pulumi.CustomResource | "jobId">;

/** An AWS Import/Export job served by the native plugin (`importexport:index:ImportExportJob`). */
export interface ImportExportJob extends ImportExportJobOutputs {}
export class ImportExportJob extends NativeJob<ImportExportJobArgs> {
  /** The JobId (5 characters): the resource id (read from it, as the dynamic face's class does, not registered). */
  get jobId(): pulumi.Output<string> {
    return this.id;
  }

  /**
   * @param name The unique name of the resource.
   * @param args The job's inputs (the same as the dynamic face's).
   * @param opts Resource options (`provider` picks the account; `replaceOnChanges`, `ignoreChanges`, `protect`, `import` reach the engine).
   */
  constructor(name: string, args: ImportExportJobArgs, opts?: pulumi.CustomResourceOptions) {
    // During an update, check is told so (as by the dynamic face's class): a new job is validated by its CreateJob alone.
    super(importExportJobDefinition, name, { ...args, ...updateRunInputs(pulumi.runtime.isDryRun()) }, opts);
  }
}
defineOutputGetters(ImportExportJob.prototype, importExportJobDefinition);

/** The outputs of the dynamic face's IotJob (the same names here), `jobId` (the given or generated one, also the id) included. */
type IotJobOutputs = Omit<DynamicIotJob, keyof pulumi.CustomResource>;

/** An AWS IoT job served by the native plugin (`importexport:index:IotJob`). */
export interface IotJob extends IotJobOutputs {}
export class IotJob extends NativeJob<IotJobArgs> {
  /**
   * @param name The unique name of the resource (also the prefix of a generated jobId).
   * @param args The job's inputs (the same as the dynamic face's).
   * @param opts Resource options.
   */
  constructor(name: string, args: IotJobArgs, opts?: pulumi.CustomResourceOptions) {
    // `jobId` is an input as well (a fixed job ID), so it is registered rather than read from the id.
    super(iotJobDefinition, name, args, opts, ["jobId"]);
  }
}
defineOutputGetters(IotJob.prototype, iotJobDefinition);
