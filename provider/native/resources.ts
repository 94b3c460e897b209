/**
 * The resources and configuration the plugin serves, as adapters over the dynamic face's runtimes: the same policy
 * tables, the same service adapters, the same messages. Nothing here decides anything about a job; it only maps
 * the runtime's calls onto {@link NativeResource}, and reads each resource's schema from its definition.
 *
 * This is the one module of the native face that imports from the provider's own layout (core/, importexport/, iot/).
 * The runtimes are loaded on first use, so the plugin answers GetSchema/CheckConfig and the TypeScript face (./index, which
 * takes its output lists from here) loads without the SDK and its clients.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { PropertyType, ResourceDefinition } from "../core/definition";
import { changedFields, inputsOf, type ResourcePolicy } from "../core/policy";
import { ProviderConfigError, resolveIotSettings, resolveSettings, type ConfigReader } from "../core/settings";
import { importExportJobDefinition, importExportJobPolicy } from "../importexport/definition";
import { secretManifestInputs } from "../importexport/inputs";
import { AUTO_NAME_SEED, comparedInputs } from "../iot/autoname";
import { iotJobDefinition, iotJobPolicy } from "../iot/definition";
import { withOperationSignal } from "../core/operation-signal";
import type { CheckContext, InputFailure, NativeProviderConfig, NativeResource, OperationOptions, PropertySpec } from "./native-resource";

// What the TypeScript face (./index) takes from the provider layout.
export { registeredOutputs, type ResourceDefinition } from "../core/definition";
export { defineOutputGetters, readInputs } from "../core/resource";
export { importExportJobDefinition } from "../importexport/definition";
export { iotJobDefinition } from "../iot/definition";
export type { ImportExportJob as DynamicImportExportJob, ImportExportJobArgs } from "../importexport/resource";
export type { IotJob as DynamicIotJob, IotJobArgs } from "../iot/resource";

/** The Import/Export runtime module, loaded once, on first use (its module state holds the configured settings). */
function importExportRuntime(): Promise<typeof import("../importexport/runtime")> {
  return import("../importexport/runtime.js");
}

/** The IoT runtime module, likewise. */
function iotRuntime(): Promise<typeof import("../iot/runtime")> {
  return import("../iot/runtime.js");
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
  { name: "endpoint", type: TEXT, description: "Endpoint URL of the services, ImportExportJob's and IotJob's alike (the emulator serves both). Default: for Import/Export AWS_ENDPOINT_URL_IMPORTEXPORT, AWS_ENDPOINT_URL, then the global endpoint; for IoT AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL, then the regional endpoint. Jobs record it; pointing a provider elsewhere replaces its jobs." },
  { name: "region", type: TEXT, description: "Signing region (default: AWS_REGION / AWS_DEFAULT_REGION; IoT: then us-east-1)." },
  { name: "profile", type: TEXT, description: "AWS shared-config profile for the default credential chain." },
  { name: "accessKeyId", type: TEXT, description: "Static access key id (set together with secretAccessKey); otherwise the AWS default credential chain." },
  { name: "secretAccessKey", type: TEXT, description: "Static secret access key (set together with accessKeyId). Always kept as a secret.", secret: true },
  { name: "signatureVersion", type: TEXT, description: "Import/Export request signing: `v2` (the service's own) or `v4`." },
  { name: "validateOnPreview", type: BOOLEAN, description: "Validate new or changed Import/Export manifests with the service (CreateJob ValidateOnly=true) during preview (default: on when credentials resolve)." },
];

/** The stack-config namespaces of the dynamic face's two runtimes; a native provider's inputs serve both. */
const NAMESPACES = ["importexport:", "importexport-iot:"] as const;

/**
 * Provider inputs as the runtimes' config reader: `importexport:<name>` and `importexport-iot:<name>` → the input of
 * that name, as text.
 */
function configReader(values: Readonly<Record<string, unknown>>): ConfigReader & { require(key: string): string } {
  const get = (key: string): string | undefined => {
    const ns = NAMESPACES.find((n) => key.startsWith(n));
    const v = ns === undefined ? undefined : values[key.slice(ns.length)];
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
    const failures = new Map<string, InputFailure>();
    for (const resolve of [resolveSettings, resolveIotSettings]) {
      try {
        resolve(configReader(values));
      } catch (e) {
        if (!(e instanceof ProviderConfigError)) throw e;
        const f = configFailure(e);
        if (!failures.has(f.property)) failures.set(f.property, f);
      }
    }
    return [...failures.values()];
  },
  async configure(values) {
    const config = configReader(values);
    const [importExport, iot] = await Promise.all([importExportRuntime(), iotRuntime()]);
    await importExport.configure({ config });
    await iot.configure({ config });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Resources

/** What a dynamic face's runtime module exports (../importexport/runtime, ../iot/runtime). */
interface DynamicRuntime {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult>;
  create(inputs: Record<string, unknown>, replaced?: Record<string, unknown>): Promise<dynamic.CreateResult>;
  read(id: string, props?: Record<string, unknown>): Promise<dynamic.ReadResult>;
  /**
   * A read with nothing but the id (`pulumi import`, the `import` option, `get`), when the runtime has its own:
   * every input from the service, or a failure naming the job and why it cannot be taken over.
   */
  readForImport?(id: string): Promise<dynamic.ReadResult>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** How one resource's runtime is served. */
interface RuntimeResource<State extends string, Call extends string> {
  readonly definition: ResourceDefinition;
  readonly policy: ResourcePolicy<State, Call>;
  /** The runtime module, loaded on first use. */
  readonly runtime: () => Promise<DynamicRuntime>;
  /** The program's inputs as the runtime's check takes them: what the dynamic face's resource class adds to them. */
  readonly programInputs?: (news: Record<string, unknown>, context: CheckContext) => Record<string, unknown>;
  /** An input bag as the policy compares it (e.g. internal keys read back under their own names). */
  readonly comparable?: (bag: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /** The service's noun for the object, in messages (`Job`, `IoT job`). */
  readonly noun: string;
  /** Inputs secret by their value (e.g. a manifest holding a device password), marked secret wherever read answers them. */
  readonly secretsOf?: (inputs: Readonly<Record<string, unknown>>) => readonly string[];
}

/** Runs a runtime call under the operation's signal (../core/operation-signal), when it has one. */
function under<T>(options: OperationOptions | undefined, work: () => Promise<T>): Promise<T> {
  return options?.signal ? withOperationSignal(options.signal, work) : work();
}

/** A resource served through its dynamic face's runtime and policy table: no rule of its own. */
function runtimeResource<State extends string, Call extends string>(r: RuntimeResource<State, Call>): NativeResource {
  const comparable = r.comparable ?? ((bag) => ({ ...bag }));
  return {
    token: r.definition.token,
    schema: schemaFromDefinition(r.definition),
    async check(olds, news, context, options) {
      const program = r.programInputs ? r.programInputs(news, context) : news;
      const c = await under(options, async () => (await r.runtime()).check(olds, program));
      return { inputs: (c.inputs ?? program) as Record<string, unknown>, failures: c.failures ?? [] };
    },
    async diff(id, olds, news, options) {
      const d = await under(options, async () => (await r.runtime()).diff(id, olds, news));
      // The inputs that changed, as the policy mechanism compares them (the runtime's answer names only the replaces).
      const present = Object.fromEntries(Object.entries(comparable(news)).filter(([, v]) => v !== undefined && v !== null));
      const changed = changedFields(r.policy, inputsOf(r.policy, comparable(olds)), present).map((c) => c.field);
      return { changes: d.changes, changed, replaces: d.replaces ?? [], deleteBeforeReplace: d.deleteBeforeReplace ?? false };
    },
    async create(inputs, options) {
      const c = await under(options, async () => (await r.runtime()).create(inputs, options?.replaced));
      return { id: c.id, outputs: (c.outs ?? {}) as Record<string, unknown> };
    },
    async read(id, state, options) {
      const unheld = Object.keys(state).length === 0;
      const found = await under(options, async () => {
        const runtime = await r.runtime();
        return unheld && runtime.readForImport ? runtime.readForImport(id) : runtime.read(id, state);
      });
      // With no prior state (`pulumi import`, `.get`) "gone" is not a refresh result but an object that cannot be
      // taken over: say which, in the service's words, instead of the engine's bare "does not exist".
      if (!found.id && unheld) {
        throw new Error(
          `${r.noun} ${id} cannot be imported: the service does not find it for the account of this provider's credentials, or it is cancelled, deleted or expired. ` +
            "Check the id and the provider's accessKeyId/profile.",
        );
      }
      const secrets = r.secretsOf && found.inputs !== undefined ? r.secretsOf(found.inputs as Record<string, unknown>) : [];
      return {
        id: found.id ?? "",
        ...(found.props !== undefined ? { outputs: found.props as Record<string, unknown> } : {}),
        ...(found.inputs !== undefined ? { inputs: found.inputs as Record<string, unknown> } : {}),
        ...(secrets.length > 0 ? { secrets } : {}),
      };
    },
    async update(id, olds, news, options) {
      return ((await under(options, async () => (await r.runtime()).update(id, olds, news))).outs ?? {}) as Record<string, unknown>;
    },
    async delete(id, state, options) {
      await under(options, async () => (await r.runtime()).delete(id, state));
    },
  };
}

/** ImportExportJob through the dynamic face's runtime and the Import/Export policy table. */
export const importExportJob: NativeResource = runtimeResource({
  definition: importExportJobDefinition,
  policy: importExportJobPolicy,
  runtime: importExportRuntime,
  noun: "Job",
  secretsOf: secretManifestInputs,
});

/**
 * IotJob through the dynamic face's runtime and the IoT policy table. As the dynamic face's class does, check gets
 * the resource name as the prefix of a generated jobId and the URN as its seed, so preview and up name it the same.
 */
export const iotJob: NativeResource = runtimeResource({
  definition: iotJobDefinition,
  policy: iotJobPolicy,
  runtime: iotRuntime,
  programInputs: (news, context) => ({ ...news, autoNamePrefix: context.name, [AUTO_NAME_SEED]: context.urn }),
  comparable: comparedInputs,
  noun: "IoT job",
});

/** The resources the plugin serves. */
export const resources: readonly NativeResource[] = [importExportJob, iotJob];
