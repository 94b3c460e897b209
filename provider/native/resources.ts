/**
 * The resources and configuration the plugin serves, as adapters over the dynamic face's runtimes: the same policy
 * tables, the same service adapters, the same messages. Nothing here decides anything about a job; it only maps
 * the runtime's calls onto {@link NativeResource}.
 *
 * This is the one module of the native face that imports from the provider's own layout (runtime, policy, config,
 * outputs). The runtime is loaded on first use, so the plugin answers GetSchema/CheckConfig and the TypeScript face
 * (./index, which takes its output lists from here) loads without the SDK and its clients.
 *
 * The property lists below are written out for now; they are to be derived from the per-field definitions of the
 * provider layout once it lands (docs/native.md, "What is still to come").
 */
import { ProviderConfigError, resolveSettings, type ConfigReader } from "../config";
import { importExportJobPolicy } from "../importexport-policy";
import { JOB_SIGNING_MEMBERS, JOB_STATUS_MEMBERS } from "../outputs";
import { changedFields, inputsOf } from "../policy";
import type { InputFailure, NativeProviderConfig, NativeResource, PropertySpec } from "./native-resource";

export { defineGroupedOutputs } from "../grouped-outputs";
export { JOB_SIGNING_MEMBERS, JOB_STATUS_MEMBERS };
export type { ImportExportJobSigning, ImportExportJobStatus } from "../outputs";
export type { ShippingLabelAddress } from "../inputs";
export type { Manifest } from "../../sdk/manifest";

/** The Import/Export runtime module, loaded once, on first use (its module state holds the configured settings). */
function importExportRuntime(): Promise<typeof import("../runtime")> {
  return import("../runtime.js");
}

// ---------------------------------------------------------------------------------------------------------------
// Schema types

const TEXT = { type: "string" } as const;
const BOOLEAN = { type: "boolean" } as const;
const ANY_VALUE = { $ref: "pulumi.json#/Any" } as const;
const GROUP = { type: "object", additionalProperties: ANY_VALUE } as const;

// ---------------------------------------------------------------------------------------------------------------
// Provider configuration

/** The provider settings: the same names as the dynamic face's `importexport:*` stack config. */
const CONFIG_PROPERTIES: readonly PropertySpec[] = [
  { name: "endpoint", type: TEXT, description: "Endpoint URL of the Import/Export service (default: AWS_ENDPOINT_URL_IMPORTEXPORT, AWS_ENDPOINT_URL, then the global endpoint). Jobs record it; pointing a provider elsewhere replaces its jobs." },
  { name: "region", type: TEXT, description: "Signing region (default: AWS_REGION / AWS_DEFAULT_REGION)." },
  { name: "profile", type: TEXT, description: "AWS shared-config profile for the default credential chain." },
  { name: "accessKeyId", type: TEXT, description: "Static access key id (set together with secretAccessKey); otherwise the AWS default credential chain." },
  { name: "secretAccessKey", type: TEXT, description: "Static secret access key (set together with accessKeyId). Always kept as a secret.", secret: true },
  { name: "signatureVersion", type: TEXT, description: "Request signing: `v2` (the service's own) or `v4`." },
  { name: "validateOnPreview", type: BOOLEAN, description: "Validate new or changed manifests with the service (CreateJob ValidateOnly=true) during preview (default: on when credentials resolve)." },
];

/** Provider inputs as the runtimes' config reader: `importexport:<name>` → the input of that name, as text. */
function configReader(values: Readonly<Record<string, unknown>>): ConfigReader & { require(key: string): string } {
  const get = (key: string): string | undefined => {
    const name = key.startsWith("importexport:") ? key.slice("importexport:".length) : undefined;
    const v = name === undefined ? undefined : values[name];
    return v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  };
  return {
    get,
    require: (key) => {
      const v = get(key);
      if (v === undefined) throw new Error(`provider input ${key} is required`);
      return v;
    },
  };
}

/** A settings problem as a failure of the provider input it names (the message without its stack-config prefix). */
function configFailure(e: ProviderConfigError): InputFailure {
  const property = e.key.slice(e.key.indexOf(":") + 1);
  return { property, reason: e.message.replace(/^Stack config \S+: /, "") };
}

/** The provider's configuration, resolved by the dynamic face's settings code (same checks, same environment fallbacks). */
export const providerConfig: NativeProviderConfig = {
  properties: CONFIG_PROPERTIES,
  check(values) {
    try {
      resolveSettings(configReader(values));
      return [];
    } catch (e) {
      if (e instanceof ProviderConfigError) return [configFailure(e)];
      throw e;
    }
  },
  async configure(values) {
    const runtime = await importExportRuntime();
    await runtime.configure({ config: configReader(values) });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// ImportExportJob


const IMPORT_EXPORT_JOB_INPUTS: readonly PropertySpec[] = [
  { name: "jobType", type: TEXT, required: true, description: "`Import` (device → S3, EBS or Glacier) or `Export` (S3 → device). Changeable in place while the job is Pending." },
  { name: "manifest", type: ANY_VALUE, required: true, description: "The job's manifest: an object or its YAML text, normalised to canonical YAML. Changeable in place (UpdateJob) while the job is Pending; once the transfer has started, a change replaces the job." },
  { name: "shippingLabel", type: ANY_VALUE, description: "When set, GetShippingLabel runs with this (sender's) address and the status holds the label's URL." },
  { name: "adoptJobId", type: TEXT, description: "Take over an existing job instead of creating one. Changing it replaces the resource." },
  { name: "cancelInProgress", type: BOOLEAN, description: "Cancel the job on delete/replacement even when its transfer is InProgress (default false: released from the stack with a warning)." },
];

const IMPORT_EXPORT_JOB_OUTPUTS: readonly PropertySpec[] = [
  { name: "jobId", type: TEXT, description: "The JobId (5 characters), also the resource id." },
  { name: "status", type: GROUP, description: `What the service reports about the job and where it lives: ${JOB_STATUS_MEMBERS.join(", ")}.` },
  { name: "signing", type: GROUP, secret: true, description: `The job's ${JOB_SIGNING_MEMBERS.join(" and ")} (secret): they authenticate the physical device.` },
];

/** ImportExportJob through the dynamic face's runtime and the Import/Export policy table. */
export const importExportJob: NativeResource = {
  token: "importexport:index:ImportExportJob",
  schema: {
    description: "An AWS Import/Export job. Create → CreateJob; update → UpdateJob (Pending only); refresh → GetStatus; delete → CancelJob.",
    inputs: IMPORT_EXPORT_JOB_INPUTS,
    outputs: IMPORT_EXPORT_JOB_OUTPUTS,
  },
  async check(olds, news) {
    const r = await (await importExportRuntime()).check(olds, news);
    return { inputs: (r.inputs ?? news) as Record<string, unknown>, failures: r.failures ?? [] };
  },
  async diff(id, olds, news) {
    const r = await (await importExportRuntime()).diff(id, olds, news);
    // The inputs that changed, as the policy mechanism compares them (the runtime's answer names only the replaces).
    const present = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== undefined && v !== null));
    const changed = changedFields(importExportJobPolicy, inputsOf(importExportJobPolicy, olds), present).map((c) => c.field);
    return { changes: r.changes, changed, replaces: r.replaces ?? [], deleteBeforeReplace: r.deleteBeforeReplace ?? false };
  },
  async create(inputs) {
    const r = await (await importExportRuntime()).create(inputs);
    return { id: r.id, outputs: (r.outs ?? {}) as Record<string, unknown> };
  },
  async read(id, state) {
    const r = await (await importExportRuntime()).read(id, state);
    // With no prior state (`pulumi import`, `ImportExportJob.get`) "gone" is not a refresh result but a job that
    // cannot be taken over: say which, in the service's words, instead of the engine's bare "does not exist".
    if (!r.id && Object.keys(state).length === 0) {
      throw new Error(
        `Job ${id} cannot be imported: GetStatus does not find it for the account of this provider's credentials, or it is cancelled or expired. ` +
          "Check the JobId and the provider's accessKeyId/profile.",
      );
    }
    return {
      id: r.id ?? "",
      ...(r.props !== undefined ? { outputs: r.props as Record<string, unknown> } : {}),
      ...(r.inputs !== undefined ? { inputs: r.inputs as Record<string, unknown> } : {}),
    };
  },
  async update(id, olds, news) {
    const r = await (await importExportRuntime()).update(id, olds, news);
    return (r.outs ?? {}) as Record<string, unknown>;
  },
  async delete(id, state) {
    await (await importExportRuntime()).delete(id, state);
  },
};

/** The resources the plugin serves. */
export const resources: readonly NativeResource[] = [importExportJob];
