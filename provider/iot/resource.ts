/**
 * `IotJob`: an AWS IoT job (a document pushed to things and thing groups) as a Pulumi resource.
 *
 * ```ts
 * import { IotJob } from "pulumi-importexport/iot";
 * const rollout = new IotJob("firmware", {
 *   targets: [group.arn],
 *   document: JSON.stringify({ operation: "update-firmware", version: "2.4.1" }),
 *   jobExecutionsRolloutConfig: { maximumPerMinute: 50 },
 * });
 * ```
 *
 * Type token `pulumi-nodejs:dynamic/importexport:IotJob`. Stack config: `importexport-iot:endpoint`, `region`,
 * `profile`, `accessKeyId`, `secretAccessKey` (secret) (docs/iot.md).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ArgsMatch, FlatOutputName } from "../core/definition";
import { defineOutputGetters, readInputs, resourceArgs, type DeepInput } from "../core/resource";
import { providerForState } from "../core/serialized";
import { suspendStackTraces } from "../core/stack-traces";
import { AUTO_NAME_SEED } from "./autoname";
import iotJobProvider from "./provider";
import { iotJobDefinition as definition, type IotAbortConfig, type IotRetryConfig, type IotRolloutConfig, type IotSchedulingConfig } from "./definition";
import type { IotJobStatus } from "./outputs";

export type { IotJobStatus };

/** Inputs of an {@link IotJob}. Changing one marked "replaces" creates a new job (its document goes out again). */
export interface IotJobArgs {
  /**
   * Job ID (1–64 of `[a-zA-Z0-9_-]`); replaces. Default `<resource name>-<7 chars>` derived from the URN (and, for a
   * replacement, the jobId it replaces): the same in preview and up. A fixed one replaces delete-first.
   */
  jobId?: pulumi.Input<string>;
  /** Thing and thing group ARNs (a set: order is no change); replaces. */
  targets: pulumi.Input<pulumi.Input<string>[]>;
  /** The job document, JSON text (≤ 32 KiB); replaces. Give it, or `documentSource`, or a `jobTemplateArn`. */
  document?: pulumi.Input<string>;
  /** An S3 URL of the document, read once at creation; replaces. */
  documentSource?: pulumi.Input<string>;
  /** Free text (≤ 2028, no control characters); updated in place (UpdateJob). */
  description?: pulumi.Input<string>;
  /** `SNAPSHOT` (default: the targets at creation) or `CONTINUOUS` (things added to a group later too); replaces. */
  targetSelection?: pulumi.Input<"CONTINUOUS" | "SNAPSHOT">;
  /** Presigned S3 URLs in the document: the role (kept secret in state) and their lifetime; updated in place. */
  presignedUrlConfig?: DeepInput<{ roleArn?: string; expiresInSec?: number }>;
  /** How fast executions roll out; updated in place. */
  jobExecutionsRolloutConfig?: DeepInput<IotRolloutConfig>;
  /** When to cancel the job for failures; updated in place. */
  abortConfig?: DeepInput<IotAbortConfig>;
  /** In-progress timeout of an execution (1–10080 minutes); updated in place, for executions not yet started. */
  timeoutConfig?: DeepInput<{ inProgressTimeoutInMinutes?: number }>;
  /** Retries of failed or timed-out executions; updated in place. */
  jobExecutionsRetryConfig?: DeepInput<IotRetryConfig>;
  /** Tags; changed in place, key by key (TagResource / UntagResource). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Greengrass namespace; replaces. */
  namespaceId?: pulumi.Input<string>;
  /** The job template the job is made from; replaces. */
  jobTemplateArn?: pulumi.Input<string>;
  /** Values for the template's placeholders; replaces. Pass `pulumi.secret(...)` to keep them encrypted in state. */
  documentParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** When the rollout starts and ends, and its maintenance windows; replaces. */
  schedulingConfig?: DeepInput<IotSchedulingConfig>;
  /** Software package version ARNs the job installs (a set); replaces. */
  destinationPackageVersions?: pulumi.Input<pulumi.Input<string>[]>;
  /** On delete, cancel with force: executions devices are running are cancelled too (default false). */
  forceCancel?: pulumi.Input<boolean>;
  /** On delete, delete with force even while devices still run executions (default false: released with a warning). */
  forceDelete?: pulumi.Input<boolean>;
}

// The interface above is written out for its doc comments; it must name exactly the definition's program inputs,
// with the same ones required (a field added to or removed from one side only fails to compile here).
const argsMatch: ArgsMatch<IotJobArgs, typeof definition.inputs> = true;
void argsMatch;

/** An AWS IoT job (see the module comment and docs/iot.md for what each edit does). */
export class IotJob extends pulumi.dynamic.Resource {
  /** The job ID (the given one or the generated `<name>-<random>`); also the resource's id. */
  declare readonly jobId: pulumi.Output<string>;
  /**
   * What DescribeJob reported as of the last create/update/refresh, and where the job lives, in one output; each
   * member is also an output of its own name (`status`, `jobArn`, ...).
   */
  declare readonly job: pulumi.Output<IotJobStatus>;
  /** `arn:aws:iot:<region>:<account>:job/<jobId>`. */
  declare readonly jobArn: pulumi.Output<string>;
  /** `SCHEDULED`, `IN_PROGRESS`, `COMPLETED`, `CANCELED` or `DELETION_IN_PROGRESS`, as of the last create/update/refresh. */
  declare readonly status: pulumi.Output<string>;
  /** Whether a cancel used force. */
  declare readonly forceCanceled: pulumi.Output<boolean | undefined>;
  /** Why the job was cancelled (e.g. the abort criteria). */
  declare readonly reasonCode: pulumi.Output<string | undefined>;
  /** The cancel comment. */
  declare readonly comment: pulumi.Output<string | undefined>;
  /** When the job was created (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the job last changed (ISO 8601). */
  declare readonly lastUpdatedAt: pulumi.Output<string | undefined>;
  /** When the job finished (ISO 8601). */
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** Execution counts (`numberOfSucceededThings`, `numberOfInProgressThings`, …). */
  declare readonly jobProcessDetails: pulumi.Output<Record<string, number>>;
  /** The endpoint the job lives at; a stack pointed elsewhere replaces the job. */
  declare readonly endpoint: pulumi.Output<string>;
  /** The job's region. */
  declare readonly region: pulumi.Output<string>;

  /**
   * @param name The unique name of the resource (also the prefix of a generated jobId).
   * @param args The job's inputs.
   * @param opts Resource options (`additionalSecretOutputs` always includes `presignedUrlConfig`).
   */
  constructor(name: string, args: IotJobArgs, opts?: pulumi.CustomResourceOptions) {
    // The URN is the basis of an auto-named jobId (./autoname): the dynamic provider is not told it.
    const seed = pulumi.createUrn(name, "pulumi-nodejs:dynamic/importexport:IotJob", opts?.parent);
    // Registered besides its inputs: `jobId` (an input the provider may generate, seeded so it is always an output)
    // and `job`, which holds every other output; those are getters over `job` (../core/grouped-outputs says why).
    // The presigned-URL role is an account detail the state file should not show: an always-secret output.
    const r = resourceArgs(definition, { ...args, autoNamePrefix: name, [AUTO_NAME_SEED]: seed }, opts, { seeded: ["jobId"], secret: ["presignedUrlConfig"] });
    // Secret as an input too, so the state's inputs hold it encrypted (the engine marks an output secret only
    // when the input of the same name was).
    if (args.presignedUrlConfig !== undefined) r.props["presignedUrlConfig"] = pulumi.secret(args.presignedUrlConfig);
    const resume = suspendStackTraces(); // ../core/stack-traces says why
    try {
      super(providerForState(iotJobProvider), name, r.props, r.opts, "importexport", "IotJob");
    } finally {
      resume();
    }
  }

  /**
   * Reads an existing IoT job into the program without managing it (`pulumi up` never changes, cancels or deletes
   * it): every output, as DescribeJob reports it with the stack's credentials.
   *
   * @param name The unique name of the resource in this program.
   * @param id The jobId.
   * @param opts Resource options.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): IotJob {
    // The `{ id }` read form: the engine reads the job through the provider's `read`. No input is given, but each is
    // named, so that its value as read (targets, description, ...) is an output of the object too.
    return new IotJob(name, readInputs(definition) as unknown as IotJobArgs, { ...opts, id });
  }
}

defineOutputGetters(IotJob.prototype, definition);

// Each output of the definition is a member of the class (a getter over `job`).
const everyOutputDeclared: Exclude<FlatOutputName<typeof definition.outputs>, keyof IotJob> extends never ? true : false = true;
void everyOutputDeclared;
