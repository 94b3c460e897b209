/**
 * The resources and configuration the plugin serves, as adapters over the dynamic face's runtimes: the same policy
 * tables, the same service adapters, the same messages. Nothing here decides anything about a job; it only maps
 * the runtime's calls onto {@link NativeResource}, and reads each resource's schema from its definition.
 *
 * This is the one module of the native face that imports from the provider's own layout (core/, importexport/). The
 * runtime is loaded on first use, so the plugin answers GetSchema/CheckConfig and the TypeScript face (./index, which
 * takes its output lists from here) loads without the SDK and its clients.
 */
import type { PropertyType, ResourceDefinition } from "../core/definition";
import { changedFields, inputsOf } from "../core/policy";
import { ProviderConfigError, resolveSettings, type ConfigReader } from "../core/settings";
import { importExportJobDefinition, importExportJobPolicy } from "../importexport/definition";
import type { InputFailure, NativeProviderConfig, NativeResource, PropertySpec } from "./native-resource";

export { defineGroupedOutputs } from "../core/grouped-outputs";
export { JOB_SIGNING_MEMBERS, JOB_STATUS_MEMBERS } from "../importexport/outputs";
export type { ImportExportJobSigning, ImportExportJobStatus } from "../importexport/outputs";
export type { ShippingLabelAddress } from "../importexport/inputs";
export type { Manifest } from "../../sdk/manifest";

/** The Import/Export runtime module, loaded once, on first use (its module state holds the configured settings). */
function importExportRuntime(): Promise<typeof import("../importexport/runtime")> {
  return import("../importexport/runtime.js");
}

/**
 * A resource's schema, read from its definition: the program inputs as the definition states them (type,
 * description, required, secret), and the outputs as the state holds them — each output of its own (the id), then
 * each registered group as one object of its members (the dynamic face's state shape, which the runtime reads back).
 */
export function schemaFromDefinition(definition: ResourceDefinition): NativeResource["schema"] {
  const spec = (name: string, d: { readonly type: PropertyType; readonly description: string; readonly secret?: boolean }, required = false): PropertySpec => ({
    name,
    type: d.type,
    description: d.description,
    ...(d.secret ? { secret: true } : {}),
    ...(required ? { required: true } : {}),
  });
  const inputs = Object.entries(definition.inputs)
    .filter(([, d]) => !d.internal)
    .map(([name, d]) => spec(name, d, d.required === true));
  const outputs = Object.entries(definition.outputs);
  const own = outputs.filter(([, d]) => d.group === undefined).map(([name, d]) => spec(name, d));
  const groups = Object.entries(definition.groups).map(([group, g]) => {
    const members = outputs.filter(([, d]) => d.group === group);
    const properties = Object.fromEntries(members.map(([name, d]) => [name, { ...d.type, description: d.description }]));
    return spec(group, { type: { type: "object", properties }, description: g.description, secret: members.some(([, d]) => d.secret) });
  });
  return { description: definition.description, inputs, outputs: [...own, ...groups] };
}

// ---------------------------------------------------------------------------------------------------------------
// Schema types

const TEXT = { type: "string" } as const;
const BOOLEAN = { type: "boolean" } as const;

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


/** ImportExportJob through the dynamic face's runtime and the Import/Export policy table. */
export const importExportJob: NativeResource = {
  token: importExportJobDefinition.token,
  schema: schemaFromDefinition(importExportJobDefinition),
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
