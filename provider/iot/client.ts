/**
 * The IoT side's client: `@aws-sdk/client-iot`, built from the provider settings in the provider process on first
 * use. The SDK (and the AWS credential chain) is loaded lazily, like the Import/Export client (../importexport/client): a
 * preview of an unchanged stack never calls the service and should not pay for loading it.
 */
import type { IoTClient } from "@aws-sdk/client-iot";
import { loadOwnModule } from "../../sdk/own-module";
import { ProviderError } from "../core/mechanism";
import { callOptions, isAbortError } from "../core/operation-signal";
import { runtimeScaffold, type RuntimeScaffold } from "../core/runtime";
import { resolveIotSettings, type IotProviderSettings } from "../core/settings";

/** The SDK module, loaded on first use. */
export type IotSdk = typeof import("@aws-sdk/client-iot");

/** A client plus the SDK module its commands come from. */
export interface IotConnection {
  readonly sdk: IotSdk;
  readonly client: IoTClient;
}

/**
 * Attempts per call, the first included. Retrying is the SDK's standard retry strategy, not the provider's: it
 * retries network errors, 5xx, and the throttling codes, which include ThrottlingException (HTTP 400) and
 * LimitExceededException (HTTP 410: at most 10 jobs DELETION_IN_PROGRESS per account, a quota that clears as those
 * deletions finish), with exponential backoff and jitter from a 500 ms base. Five attempts rather than the SDK's
 * three give a deletion quota some seconds to clear.
 */
export const IOT_MAX_ATTEMPTS = 5;

/**
 * Builds a client for the settings; credentials resolve through the same chain as the Import/Export side's.
 * `maxResponseBytes`: the largest response body read (default 8 MiB, as the Import/Export client's); a longer one
 * fails the call with IotResponseTooLargeError (sdk/iot/response-cap).
 */
export async function connectIot(settings: IotProviderSettings, options: { maxResponseBytes?: number } = {}): Promise<IotConnection> {
  // See ../importexport/client: the pinned SDK supports Node 20; its warning about future releases is noise on every `pulumi up`.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  // required, not import()ed (../../sdk/own-module).
  const sdk = require("@aws-sdk/client-iot") as IotSdk;
  const [{ resolveCredentials }, { capResponseBytes }] = await Promise.all([
    loadOwnModule({ require: () => require("../../sdk/credentials.js"), import: () => import("../../sdk/credentials.js") }),
    loadOwnModule({ require: () => require("../../sdk/iot/response-cap.js"), import: () => import("../../sdk/iot/response-cap.js") }),
  ]);
  const credentials = resolveCredentials(settings.credentials, settings.profile !== undefined ? { profile: settings.profile } : {});
  const client = new sdk.IoTClient({
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    region: settings.region,
    credentials,
    maxAttempts: IOT_MAX_ATTEMPTS,
  });
  capResponseBytes(client, options.maxResponseBytes);

  // Each command carries the signal of the operation in progress (a timeout or the engine's Cancel in the native
  // plugin; none in the dynamic face), as the SDK's own per-call `abortSignal` option: the request is cut and no
  // retry follows. The runtime's calls stay `client.send(command)`; only this client instance is wrapped.
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  client.send = ((command: unknown, options?: object) => send(command, { ...callOptions(), ...options })) as IoTClient["send"];
  return { sdk, client };
}

/** The service's error code of `e` (the SDK's error `name`), or undefined for a network failure or a bug. */
export function iotErrorCode(e: unknown): string | undefined {
  const err = e as { name?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  if (!err || typeof err.name !== "string" || (err.$fault !== "client" && err.$fault !== "server")) return undefined;
  return typeof err.$metadata?.httpStatusCode === "number" ? err.name : undefined;
}

/** An error meant for the person running `pulumi`: its message is the whole story, so no stack trace is shown. */
export class IotJobError extends ProviderError {
  override readonly name: string = "IotJobError";
}

/** The endpoint recorded in state: the configured one, or the SDK's regional default. */
export function endpointOf(s: IotProviderSettings): string {
  return s.endpoint ?? `https://iot.${s.region}.amazonaws.com`;
}

/**
 * The provider process's settings (`importexport-iot:*`) and connection, and the one-line errors of IotJob
 * (../core/runtime): module state, shared by the adapter and the runtime.
 */
export const service: RuntimeScaffold<IotProviderSettings, IotConnection> = runtimeScaffold({
  namespace: "importexport-iot",
  noun: "IoT job",
  resolve: (config) => resolveIotSettings(config),
  connect: connectIot,
  close: (c) => c.client.destroy(),
  endpoint: endpointOf,
  classify: (e) => {
    if (isAbortError(e)) return { kind: "aborted", requestSent: true };
    const code = iotErrorCode(e);
    const message = e instanceof Error ? e.message : String(e);
    // Anything but a service answer is the service not being reachable (the SDK retried it already).
    return code !== undefined ? { kind: "service", code, message } : { kind: "unreachable", detail: message };
  },
  error: (message) => new IotJobError(message),
});

/** The client and the SDK module its commands come from, built on first use. */
export function iot(): Promise<IotConnection> {
  return service.connection();
}

/** Where new jobs live: the settings' endpoint and region. */
export function where(): { endpoint: string; region: string } {
  const s = service.settings();
  return { endpoint: endpointOf(s), region: s.region };
}

/** The access key ID the IoT client signs with, or undefined when no credentials resolve. */
export async function signingKey(): Promise<string | undefined> {
  const configured = service.settings().credentials?.accessKeyId;
  if (configured !== undefined) return configured;
  try {
    return (await (await iot()).client.config.credentials()).accessKeyId;
  } catch {
    return undefined;
  }
}

/**
 * The caller's account: STS GetCallerIdentity with the IoT client's credentials, once per connection. STS is asked
 * at AWS_ENDPOINT_URL_STS, else at the configured IoT endpoint (the emulator serves both), else at the AWS default;
 * undefined when it does not answer.
 */
export const callerAccount = service.perConnection(() =>
  (async () => {
    const { client } = await iot();
    const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    const { resolveStsEndpoint } = await loadOwnModule({ require: () => require("../../sdk/endpoint.js"), import: () => import("../../sdk/endpoint.js") });
    const s = service.settings();
    const endpoint = resolveStsEndpoint(undefined) ?? s.endpoint;
    const sts = new STSClient({ region: s.region, credentials: client.config.credentials, maxAttempts: 2, ...(endpoint !== undefined ? { endpoint } : {}) });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Account;
    } finally {
      sts.destroy();
    }
  })().catch(() => undefined),
);
