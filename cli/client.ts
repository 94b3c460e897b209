/**
 * The flags every service command shares (`--endpoint-url`, `--region`, `--profile`, `--signature-version`,
 * `--output`) and the client built from them. Endpoint order: `--endpoint-url` > `AWS_ENDPOINT_URL_IMPORTEXPORT` >
 * `AWS_ENDPOINT_URL` > the SDK's default; credentials come from the AWS default chain (`--profile` selects a
 * shared-config profile, as `AWS_PROFILE` does).
 */
import { ImportExportClient, type ImportExportClientConfig } from "../sdk/client";
import { ENDPOINT_ENV_VARS, REGION_ENV_VARS, fromEnvironment } from "../sdk/endpoint";
import { isSignatureVersion, signatureVersionProblem } from "../sdk/signing/versions";
import { CliInputError } from "./errors";
import { outputFormats, type OutputFormat } from "./output";

/** The shared flags as commander hands them over. */
export interface CommonOptions {
  endpointUrl?: string;
  region?: string;
  profile?: string;
  signatureVersion?: string;
  output?: string;
  cliReadTimeout?: string;
  maxResponseBytes?: string;
}

/**
 * A positive whole number from a flag or its environment variable (flag first); undefined when neither is set.
 * `scale` converts the unit the user writes into the SDK's (seconds to milliseconds).
 */
function positiveNumber(flag: string | undefined, flagName: string, env: NodeJS.ProcessEnv, envName: string, scale = 1, whole = false): number | undefined {
  const fromEnv = env[envName]?.trim();
  const raw = flag ?? (fromEnv ? fromEnv : undefined);
  if (raw === undefined) return undefined;
  const source = flag !== undefined ? flagName : envName;
  const n = Number(raw);
  const pattern = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!pattern.test(raw.trim()) || !(n > 0) || !Number.isSafeInteger(Math.ceil(n * scale))) {
    throw new CliInputError("UsageError", `${source} must be a positive ${whole ? "whole number" : "number"}, found ${JSON.stringify(raw.slice(0, 40))}.`);
  }
  return Math.ceil(n * scale);
}

/** `--output` > `AWS_DEFAULT_OUTPUT` (as the AWS CLI reads it) > `json`. */
export function resolveOutputFormat(flag: string | undefined, env: NodeJS.ProcessEnv): OutputFormat {
  const fromEnv = env["AWS_DEFAULT_OUTPUT"];
  const value = flag ?? (fromEnv ? fromEnv : "json");
  if ((outputFormats as readonly string[]).includes(value)) return value as OutputFormat;
  const source = flag !== undefined ? "--output" : "AWS_DEFAULT_OUTPUT";
  throw new CliInputError("UsageError", `${source} must be one of ${outputFormats.join(", ")}, found ${JSON.stringify(value)}.`);
}

/** Builds the client for one command. A malformed endpoint or signature version is an input error. */
export function createClient(o: CommonOptions, env: NodeJS.ProcessEnv): ImportExportClient {
  const config: ImportExportClientConfig = {};
  if (o.endpointUrl !== undefined) config.endpoint = o.endpointUrl;
  if (o.profile !== undefined) config.profile = o.profile;
  if (o.signatureVersion !== undefined) {
    if (!isSignatureVersion(o.signatureVersion)) throw new CliInputError("UsageError", `--signature-version ${signatureVersionProblem(o.signatureVersion)}`);
    config.signatureVersion = o.signatureVersion;
  }
  // The SDK reads the endpoint and region variables from process.env; the CLI reads its own environment (tests
  // inject one), the same way (sdk/endpoint fromEnvironment).
  // A hostile or broken server must not hold the command forever or fill its memory (the SDK's defaults apply
  // when neither flag nor variable is set: 30 s, 8 MiB).
  const responseTimeout = positiveNumber(o.cliReadTimeout, "--cli-read-timeout", env, "IMPORTEXPORT_CLI_READ_TIMEOUT", 1000);
  if (responseTimeout !== undefined) config.responseTimeout = responseTimeout;
  const maxResponseBytes = positiveNumber(o.maxResponseBytes, "--max-response-bytes", env, "IMPORTEXPORT_MAX_RESPONSE_BYTES", 1, true);
  if (maxResponseBytes !== undefined) config.maxResponseBytes = maxResponseBytes;
  const region = o.region ?? fromEnvironment(REGION_ENV_VARS, env)?.value;
  if (region !== undefined) config.region = region;
  let source = "--endpoint-url";
  if (config.endpoint === undefined) {
    const fromEnv = fromEnvironment(ENDPOINT_ENV_VARS, env);
    if (fromEnv !== undefined) {
      config.endpoint = fromEnv.value;
      source = fromEnv.name;
    }
  }
  try {
    return new ImportExportClient(config);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new CliInputError("UsageError", message.replace(/^endpoint /, `${source} `));
  }
}
