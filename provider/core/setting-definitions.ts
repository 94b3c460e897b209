/**
 * The provider settings described once, as data, the way a resource's definition describes its inputs
 * (./definition): each setting's schema type, description, secrecy, environment fallbacks, the stack-config keys the
 * dynamic face reads it under, and its validator.
 *
 * Three readers, so they cannot drift apart:
 * - the dynamic face's settings resolver (./settings), for `importexport:*` and `importexport-iot:*` stack config;
 * - the native plugin's schema: its config variables and its provider's inputProperties (../native/resources);
 * - the native plugin's CheckConfig and Configure, which hand the provider's inputs to that same resolver under the
 *   keys named here (../native/resources).
 */
import { ENDPOINT_ENV_VARS, REGION_ENV_VARS, endpointUrlProblem } from "../../sdk/endpoint";
import { isSignatureVersion, signatureVersionProblem } from "../../sdk/signing/versions";
import type { PropertyType } from "./definition";

/** The dynamic face's stack-config namespaces: ImportExportJob's and IotJob's. */
export type SettingsNamespaceName = "importexport" | "importexport-iot";

/** One provider setting. */
export interface SettingDefinition {
  /** Its type, as a package schema states it. A value arrives as text from stack config and is checked as such. */
  readonly type: PropertyType;
  /** What it is (the environment fallbacks are appended from {@link env} by {@link settingDescription}). */
  readonly description: string;
  /** Whether it is a secret: in stack config, in a provider's inputs and state, and in the schema. */
  readonly secret?: boolean;
  /** The environment variables read when it is unset, first match wins (the AWS SDKs' order). */
  readonly env?: readonly string[];
  /** A shared AWS stack-config key the dynamic face falls back to (`aws:region`); a native provider never reads it. */
  readonly awsKey?: string;
  /** The dynamic face's key for it in each namespace that has it (`importexport:endpoint`, …). */
  readonly stackConfig: Readonly<Partial<Record<SettingsNamespaceName, string>>>;
  /** The setting a native provider uses in its place when it is unset (`iotEndpoint` → `endpoint`). */
  readonly fallback?: string;
  /** What is wrong with a (trimmed, non-empty) value, or undefined when it is fine. Never quotes a secret. */
  readonly problem?: (value: string) => string | undefined;
}

const TEXT = { type: "string" } as const;
/** The same key in both namespaces (a setting both resources read). */
const both = <K extends string>(key: K) => ({ importexport: key, "importexport-iot": key }) as const;

/** The environment variables that name the IoT endpoint, first match wins (the AWS SDKs' order). */
export const IOT_ENDPOINT_ENV_VARS = ["AWS_ENDPOINT_URL_IOT", "AWS_ENDPOINT_URL"] as const;

/**
 * The provider settings, by the name a native provider takes them under (the same as the dynamic face's
 * `importexport:*` keys). Order is the schema's.
 */
export const providerSettings = {
  endpoint: {
    type: TEXT,
    description:
      "Endpoint URL of the Import/Export service, and of IoT too when iotEndpoint is unset (the emulator serves both). " +
      "Unset: the environment, then the service's global endpoint. Jobs record it; pointing a provider elsewhere replaces its jobs.",
    env: ENDPOINT_ENV_VARS,
    stackConfig: { importexport: "endpoint" },
    problem: endpointUrlProblem,
  },
  iotEndpoint: {
    type: TEXT,
    description:
      "Endpoint URL of the IoT service, for IotJob. Unset: endpoint when that is set, else the environment, else the " +
      "regional endpoint https://iot.<region>.amazonaws.com. The dynamic face's counterpart is importexport-iot:endpoint.",
    env: IOT_ENDPOINT_ENV_VARS,
    stackConfig: { "importexport-iot": "endpoint" },
    fallback: "endpoint",
    problem: endpointUrlProblem,
  },
  region: {
    type: TEXT,
    description: "Signing region (IoT: also the regional endpoint's; us-east-1 when nothing names one).",
    env: REGION_ENV_VARS,
    awsKey: "aws:region",
    stackConfig: both("region"),
  },
  profile: {
    type: TEXT,
    description: "AWS shared-config profile for the default credential chain.",
    awsKey: "aws:profile",
    stackConfig: both("profile"),
  },
  accessKeyId: {
    type: TEXT,
    description: "Static access key id (set together with secretAccessKey); otherwise the AWS default credential chain.",
    stackConfig: both("accessKeyId"),
  },
  secretAccessKey: {
    type: TEXT,
    description: "Static secret access key (set together with accessKeyId). Always kept as a secret.",
    secret: true,
    stackConfig: both("secretAccessKey"),
  },
  signatureVersion: {
    type: TEXT,
    description: "Import/Export request signing: `v2` (the service's own) or `v4`.",
    stackConfig: { importexport: "signatureVersion" },
    problem: (v) => (isSignatureVersion(v) ? undefined : signatureVersionProblem(v)),
  },
  validateOnPreview: {
    type: { type: "boolean" },
    description: "Validate new or changed Import/Export manifests with the service (CreateJob ValidateOnly=true) during preview (default: on when credentials resolve).",
    stackConfig: { importexport: "validateOnPreview" },
    problem: (v) => (/^(true|false)$/i.test(v) ? undefined : `must be true or false, found "${v}".`),
  },
} as const satisfies Readonly<Record<string, SettingDefinition>>;

/** A setting's name. */
export type SettingName = keyof typeof providerSettings;

/** The settings as a list of [name, definition], in the schema's order. */
export function settingEntries(): Array<[SettingName, SettingDefinition]> {
  return Object.entries(providerSettings) as Array<[SettingName, SettingDefinition]>;
}

/** A setting's full description: its own, then the environment variables it falls back to. */
export function settingDescription(d: SettingDefinition): string {
  return d.env === undefined || d.env.length === 0 ? d.description : `${d.description} Environment: ${d.env.join(", ")}.`;
}

/** The setting a dynamic-face key (`importexport-iot:endpoint`) stands for, if any. */
export function settingOfKey(key: string): { readonly name: SettingName; readonly definition: SettingDefinition } | undefined {
  const at = key.indexOf(":");
  const ns = key.slice(0, at);
  const rest = key.slice(at + 1);
  for (const [name, definition] of settingEntries()) {
    if (definition.stackConfig[ns as SettingsNamespaceName] === rest) return { name, definition };
  }
  return undefined;
}

/** `true` when a hand-written interface (a native `ProviderArgs`) names exactly the settings. */
export type SettingsMatch<A> = [keyof A] extends [SettingName] ? ([SettingName] extends [keyof A] ? true : false) : false;
