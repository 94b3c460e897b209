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
import { settingDescription, settingEntries, settingOfKey } from "../core/setting-definitions";
import { ProviderConfigError, resolveIotSettings, resolveSettings, type ConfigReader } from "../core/settings";
import { checkInputs, importExportJobDefinition, importExportJobPolicy } from "../importexport/definition";
import { secretManifestInputs } from "../importexport/inputs";
import { AUTO_NAME_SEED, comparedInputs } from "../iot/autoname";
import { iotJobDefinition, iotJobPolicy } from "../iot/definition";
import { withOperationSignal } from "../core/operation-signal";
import type { CheckContext, InputFailure, NativeProviderConfig, NativeResource, OperationOptions, PropertySpec } from "./native-resource";

// What the TypeScript face (./index) takes from the provider layout.
export { registeredOutputs, type ResourceDefinition } from "../core/definition";
export type { SettingsMatch } from "../core/setting-definitions";
export { defineOutputGetters, readInputs } from "../core/resource";
export { suspendStackTraces } from "../core/stack-traces";
export { updateRunInputs } from "../core/update-run";
export { importExportJobDefinition } from "../importexport/definition";
export { iotJobDefinition } from "../iot/definition";
export type { ImportExportJob as DynamicImportExportJob, ImportExportJobArgs } from "../importexport/resource";
export type { IotJob as DynamicIotJob, IotJobArgs } from "../iot/resource";

/**
 * A module loaded on first use, its promise kept: a dynamic `import()` of a loaded module still resolves its specifier
 * through the ESM loader, which cost the plugin about 50 ms of CPU over the 2,000 Check and Diff calls of a preview of
 * 1,000 jobs.
 */
function loadedOnce<M>(load: () => Promise<M>): () => Promise<M> {
  let loaded: Promise<M> | undefined;
  return () => (loaded ??= load());
}

/** The Import/Export runtime module, loaded once, on first use (its module state holds the configured settings). */
const importExportRuntime = loadedOnce((): Promise<typeof import("../importexport/runtime")> => import("../importexport/runtime.js"));

/** The IoT runtime module, likewise. */
const iotRuntime = loadedOnce((): Promise<typeof import("../iot/runtime")> => import("../iot/runtime.js"));

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
// Provider configuration

/** The provider settings as the schema states them, read from their definitions (../core/setting-definitions). */
const CONFIG_PROPERTIES: readonly PropertySpec[] = settingEntries().map(([name, d]) => ({
  name,
  type: d.type,
  description: settingDescription(d),
  ...(d.secret ? { secret: true } : {}),
}));

/** A provider input as text, as stack config holds it (undefined when absent). */
function text(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The provider input a dynamic-face key stands for (`importexport-iot:endpoint` → `iotEndpoint`, or `endpoint` when
 * `iotEndpoint` is unset: the definition's fallback). `aws:*` keys stand for none: a native provider's inputs are its own.
 */
function inputOfKey(key: string, values: Readonly<Record<string, unknown>>): string | undefined {
  const s = settingOfKey(key);
  if (s === undefined) return undefined;
  return text(values[s.name]) === undefined && s.definition.fallback !== undefined && text(values[s.definition.fallback]) !== undefined ? s.definition.fallback : s.name;
}

/** Provider inputs as the runtimes' config reader: each dynamic-face key → the input it stands for, as text. */
function configReader(values: Readonly<Record<string, unknown>>): ConfigReader & { require(key: string): string } {
  const get = (key: string): string | undefined => {
    const input = inputOfKey(key, values);
    return input === undefined ? undefined : text(values[input]);
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
function configFailure(e: ProviderConfigError, values: Readonly<Record<string, unknown>>): InputFailure {
  const property = inputOfKey(e.key, values) ?? e.key.slice(e.key.indexOf(":") + 1);
  return { property, reason: e.message.replace(/^Stack config \S+: /, "") };
}

/**
 * The provider inputs not known yet (a preview where one is another resource's output), as the last Configure
 * named them. While any is, the plugin makes no service call in preview: with the environment's or the default
 * values in their place, preview would talk to another endpoint or account than `up` will.
 */
let unknownSettings: readonly string[] = [];

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
        const f = configFailure(e, values);
        if (!failures.has(f.property)) failures.set(f.property, f);
      }
    }
    return [...failures.values()];
  },
  async configure(values, unknown = []) {
    unknownSettings = [...unknown];
    if (unknown.length > 0) return;
    const config = configReader(values);
    const [importExport, iot] = await Promise.all([importExportRuntime(), iotRuntime()]);
    await importExport.configure({ config });
    await iot.configure({ config });
  },
};

/** The unknown settings, as a message names them (`endpoint and accessKeyId`). */
function unknownNamed(): string {
  const names = unknownSettings.map((n) => `\`${n}\``);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** Why nothing is asked of the service: which settings are not known, and when they will be. */
function notKnownYet(): string {
  return `the provider's ${unknownNamed()} ${unknownSettings.length === 1 ? "is" : "are"} not known until \`pulumi up\` (another resource's output)`;
}
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
  /**
   * check without the service, for a preview whose provider settings are not all known: the definition's local
   * checks only. Absent: the runtime's check makes no call anyway.
   */
  readonly checkLocally?: (olds: Record<string, unknown>, news: Record<string, unknown>) => { inputs: Record<string, unknown>; failures: readonly InputFailure[] };
}

/** Runs a runtime call under the operation's signal (../core/operation-signal), when it has one. */
function under<T>(options: OperationOptions | undefined, work: () => Promise<T>): Promise<T> {
  return options?.signal ? withOperationSignal(options.signal, work) : work();
}

/** A resource served through its dynamic face's runtime and policy table: no rule of its own. */
function runtimeResource<State extends string, Call extends string>(r: RuntimeResource<State, Call>): NativeResource {
  const comparable = r.comparable ?? ((bag) => ({ ...bag }));
  /** Where the state records the job's endpoint (in the group `status` or `job`), for a diff whose endpoint is not known. */
  const endpointOutput = r.definition.outputs["endpoint"];
  /** The inputs that changed, as the policy mechanism compares them (no service call). */
  const changedInputs = (olds: Record<string, unknown>, news: Record<string, unknown>): string[] => {
    const present = Object.fromEntries(Object.entries(comparable(news)).filter(([, v]) => v !== undefined && v !== null));
    return changedFields(r.policy, inputsOf(r.policy, comparable(olds)), present).map((c) => c.field);
  };
  /** One call of the resource's runtime (loaded on first use), under the operation's signal. */
  const call = <T>(options: OperationOptions | undefined, work: (runtime: DynamicRuntime) => Promise<T>): Promise<T> =>
    under(options, async () => work(await r.runtime()));
  /** Refuses a call that would reach the service while the settings are not known (the engine sends none). */
  const requireKnown = (operation: string, id: string | undefined): void => {
    if (unknownSettings.length === 0) return;
    throw new Error(`${operation}${id ? ` of ${r.noun} ${id}` : ""} cannot run: ${notKnownYet()}, and with the environment's values in their place it could reach another endpoint or account.`);
  };
  return {
    token: r.definition.token,
    schema: schemaFromDefinition(r.definition),
    async check(olds, news, context, options) {
      const program = r.programInputs ? r.programInputs(news, context) : news;
      if (unknownSettings.length > 0 && r.checkLocally) {
        const c = r.checkLocally(olds, program);
        if (c.failures.length === 0 && (Object.keys(olds).length === 0 || changedInputs(olds, c.inputs).length > 0)) {
          console.log(`${r.noun} ${context.name}: checked locally only; validateOnPreview is skipped because ${notKnownYet()}.`);
        }
        return c;
      }
      const c = await call(options, (runtime) => runtime.check(olds, program));
      return { inputs: (c.inputs ?? program) as Record<string, unknown>, failures: c.failures ?? [] };
    },
    async diff(id, olds, news, options) {
      // The inputs that changed, as the policy mechanism compares them (the runtime's answer names only the replaces).
      const changed = changedInputs(olds, news);
      if (unknownSettings.length > 0) {
        // Proceed from the state, asking nothing: the job's place may change with the settings, so it may be replaced.
        console.log(
          `warning: ${r.noun} ${id} may be replaced: ${notKnownYet()}, so preview cannot tell whether the job stays at ${String(priorEndpoint(olds, endpointOutput?.group) ?? "its recorded endpoint")} ` +
            "and in its account. `pulumi up` decides with the known values and replaces the job only if its place changed.",
        );
        return { changes: true, changed, replaces: ["endpoint"], deleteBeforeReplace: false };
      }
      const d = await call(options, (runtime) => runtime.diff(id, olds, news));
      return { changes: d.changes, changed, replaces: d.replaces ?? [], deleteBeforeReplace: d.deleteBeforeReplace ?? false };
    },
    async create(inputs, options) {
      requireKnown("Create", undefined);
      const c = await call(options, (runtime) => runtime.create(inputs, options?.replaced));
      return { id: c.id, outputs: (c.outs ?? {}) as Record<string, unknown> };
    },
    async read(id, state, options) {
      const unheld = Object.keys(state).length === 0;
      if (unknownSettings.length > 0) {
        // A refresh in preview proceeds from the state; there is none to take an object over from.
        if (unheld) requireKnown("Reading", id);
        return { id, outputs: state };
      }
      const found = await call(options, (runtime) => (unheld && runtime.readForImport ? runtime.readForImport(id) : runtime.read(id, state)));
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
      requireKnown("Update", id);
      return ((await call(options, (runtime) => runtime.update(id, olds, news))).outs ?? {}) as Record<string, unknown>;
    },
    async delete(id, state, options) {
      requireKnown("Delete", id);
      await call(options, (runtime) => runtime.delete(id, state));
    },
  };
}

/** The endpoint a state records (in its group, or on its own), if any. */
function priorEndpoint(state: Readonly<Record<string, unknown>>, group: string | undefined): unknown {
  const holder = group === undefined ? state : state[group];
  return typeof holder === "object" && holder !== null ? (holder as Record<string, unknown>)["endpoint"] : undefined;
}

/** ImportExportJob through the dynamic face's runtime and the Import/Export policy table. */
export const importExportJob: NativeResource = runtimeResource({
  definition: importExportJobDefinition,
  policy: importExportJobPolicy,
  runtime: importExportRuntime,
  noun: "Job",
  secretsOf: secretManifestInputs,
  checkLocally: (olds, news) => {
    const n = checkInputs(news, inputsOf(importExportJobPolicy, olds));
    return { inputs: n.inputs, failures: n.failures };
  },
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
