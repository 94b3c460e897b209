/**
 * Provider settings from stack config, read by `configure()` in the provider process at run time — never captured
 * into the serialized provider, never written to state.
 *
 * Order for each setting: `importexport:<key>` → (`aws:region` / `aws:profile` for those two) → the environment →
 * the SDK's defaults (endpoint from AWS_ENDPOINT_URL_IMPORTEXPORT / AWS_ENDPOINT_URL / the global endpoint,
 * credentials from the AWS default chain). Which keys, which environment variables and which checks come from the
 * settings' definitions (./setting-definitions), which the native plugin's schema and CheckConfig read too.
 */
import { fromEnvironment } from "../../sdk/endpoint";
import { GLOBAL_ENDPOINT } from "../../sdk/model";
import type { SignatureVersion } from "../../sdk/signing/versions";
import { providerSettings, type SettingDefinition, type SettingsNamespaceName } from "./setting-definitions";

/** What `configure()` receives: Pulumi's dynamic-provider config reader. */
export interface ConfigReader {
  get(key: string): string | undefined;
}

/** Resolved settings (the secret key stays in here, in memory of the provider process only). */
export interface ProviderSettings {
  /** Endpoint URL the jobs live at (recorded in outputs so a change of target forces replacement). */
  readonly endpoint: string;
  /** Whether `endpoint` came from config or the environment (false → the SDK's default, the global endpoint). */
  readonly endpointExplicit: boolean;
  readonly region?: string;
  readonly profile?: string;
  /** Static credentials from config; otherwise the default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly signatureVersion?: SignatureVersion;
  /** Explicit `validateOnPreview`; undefined = on when credentials resolve. */
  readonly validateOnPreview?: boolean;
}

/** A config value that does not make sense, named by its key. */
export class ProviderConfigError extends Error {
  override readonly name = "ProviderConfigError";
  constructor(readonly key: string, message: string) {
    super(`Stack config ${key}: ${message}`);
    Object.setPrototypeOf(this, ProviderConfigError.prototype);
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** How one resource's settings are named and found: its config namespace and the setting that is its endpoint. */
export interface SettingsNamespace {
  /** The config namespace, e.g. `importexport` (keys `importexport:endpoint`, ...). */
  readonly name: SettingsNamespaceName;
  /** The definition of its endpoint (`endpoint`, or `iotEndpoint` read as `importexport-iot:endpoint`): key, environment variables, check. */
  readonly endpoint: SettingDefinition;
}

/**
 * A setting's value from `<ns>:<key>` (trimmed; empty = absent), then its shared AWS key, then its environment
 * variables, checked by its definition's validator: a bad value is a {@link ProviderConfigError} naming the key.
 */
function readSetting(ns: SettingsNamespaceName, d: SettingDefinition, config: ConfigReader, env: NodeJS.ProcessEnv): string | undefined {
  const key = d.stackConfig[ns];
  const value =
    (key !== undefined ? nonEmpty(config.get(`${ns}:${key}`)) : undefined) ??
    (d.awsKey !== undefined ? nonEmpty(config.get(d.awsKey)) : undefined) ??
    (d.env !== undefined ? fromEnvironment(d.env, env)?.value : undefined);
  const problem = value === undefined ? undefined : d.problem?.(value);
  if (problem !== undefined) throw new ProviderConfigError(`${ns}:${key ?? ""}`, problem);
  return value;
}

/** What every resource's settings hold, resolved the same way under its own namespace. */
export interface CommonSettings {
  /** The endpoint from config or the environment (no trailing slash), or undefined for the SDK's default. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  /** Static credentials from config; otherwise the default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Reads another key of the namespace (trimmed; empty = absent). */
  readonly get: (key: string) => string | undefined;
}

/**
 * The one resolver both resources use. Order for each setting: `<ns>:<key>` → (`aws:region` / `aws:profile` for
 * those two) → the environment (the namespace's endpoint variables, AWS_REGION, AWS_DEFAULT_REGION). The endpoint
 * must be an http(s) URL; access key and secret go together.
 */
export function resolveCommonSettings(ns: SettingsNamespace, config: ConfigReader, env: NodeJS.ProcessEnv): CommonSettings {
  const get = (k: string) => nonEmpty(config.get(`${ns.name}:${k}`));
  const configured = readSetting(ns.name, ns.endpoint, config, env);
  const region = readSetting(ns.name, providerSettings.region, config, env);
  const profile = readSetting(ns.name, providerSettings.profile, config, env);
  const credentials = staticCredentials(ns.name, get);
  return {
    ...(configured !== undefined ? { endpoint: configured.replace(/\/+$/, "") } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    get,
  };
}

/** `ImportExportJob`'s namespace. */
export const IMPORTEXPORT_SETTINGS: SettingsNamespace = { name: "importexport", endpoint: providerSettings.endpoint };

/** Reads and checks the settings. `env` is the provider process's environment (injectable for tests). */
export function resolveSettings(config: ConfigReader, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const { endpoint, region, profile, credentials } = resolveCommonSettings(IMPORTEXPORT_SETTINGS, config, env);
  const sv = readSetting("importexport", providerSettings.signatureVersion, config, env) as SignatureVersion | undefined;
  const vp = readSetting("importexport", providerSettings.validateOnPreview, config, env);
  return {
    endpoint: endpoint ?? GLOBAL_ENDPOINT.replace(/\/+$/, ""),
    endpointExplicit: endpoint !== undefined,
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(sv !== undefined ? { signatureVersion: sv } : {}),
    ...(vp !== undefined ? { validateOnPreview: vp.toLowerCase() === "true" } : {}),
  };
}

/** `<ns>:accessKeyId` + `<ns>:secretAccessKey` from config: both or neither. */
function staticCredentials(ns: string, get: (k: string) => string | undefined): ProviderSettings["credentials"] {
  const accessKeyId = get("accessKeyId");
  const secretAccessKey = get("secretAccessKey");
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? `${ns}:accessKeyId` : `${ns}:secretAccessKey`;
    throw new ProviderConfigError(missing, "accessKeyId and secretAccessKey go together; set both (the secret with --secret) or neither.");
  }
  return accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : undefined;
}

/** The IoT side's settings (`IotJob`), resolved like the Import/Export side's under the `importexport-iot:` namespace. */
export interface IotProviderSettings {
  /** Endpoint URL the jobs live at; undefined = the SDK's regional endpoint (https://iot.<region>.amazonaws.com). */
  readonly endpoint?: string;
  /** Region (the SDK needs one; default us-east-1, the emulator's). */
  readonly region: string;
  readonly profile?: string;
  /** Static credentials from config; otherwise the default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The region when neither config nor the environment names one (the emulator's region). */
export const DEFAULT_IOT_REGION = "us-east-1";

/** `IotJob`'s namespace. */
export const IOT_SETTINGS: SettingsNamespace = { name: "importexport-iot", endpoint: providerSettings.iotEndpoint };

/**
 * Reads and checks the IoT settings: the same resolver under `importexport-iot:` (endpoint variables
 * AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL), with us-east-1 when nothing names a region.
 */
export function resolveIotSettings(config: ConfigReader, env: NodeJS.ProcessEnv = process.env): IotProviderSettings {
  const { get: _get, region, ...common } = resolveCommonSettings(IOT_SETTINGS, config, env);
  return { ...common, region: region ?? DEFAULT_IOT_REGION };
}
