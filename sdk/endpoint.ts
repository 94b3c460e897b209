/**
 * Endpoint and region resolution, in the AWS SDKs' order: explicit option > `AWS_ENDPOINT_URL_IMPORTEXPORT` >
 * `AWS_ENDPOINT_URL` > the global endpoint.
 */
import { GLOBAL_ENDPOINT, SIGV4_SIGNING_NAME, SIGV4_SIGNING_REGION } from "./model";

/** Where the client sends requests and how SigV4 scopes them. */
export interface ResolvedEndpoint {
  url: URL;
  /** Where the URL came from: `option`, `AWS_ENDPOINT_URL_IMPORTEXPORT`, `AWS_ENDPOINT_URL` or `default`. */
  source: string;
}

/**
 * What is wrong with `value` as a service endpoint (`is not a URL: "x".`, `must be an http or https URL, found
 * ftp:.`, `must not carry credentials in the URL.`), worded to follow the setting's name; undefined when it is
 * usable. The one check for the client option, the environment variables and the provider's stack config.
 */
export function endpointUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL: ${JSON.stringify(value)}.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be an http or https URL, found ${url.protocol}.`;
  if (url.username || url.password) return "must not carry credentials in the URL.";
  return undefined;
}

function parse(value: string, source: string): URL {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) throw new TypeError(`${source} ${problem}`);
  return new URL(value);
}

/** The environment variables that name the service endpoint, first match wins (the AWS SDKs' order). */
export const ENDPOINT_ENV_VARS = ["AWS_ENDPOINT_URL_IMPORTEXPORT", "AWS_ENDPOINT_URL"] as const;
/** The environment variables that name the client region, first match wins. */
export const REGION_ENV_VARS = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

/**
 * The first of `names` set in `env`, trimmed, with its name. Empty or blank values count as unset, so an exported
 * but emptied variable falls through to the next one. The one reading of these variables for SDK, provider and CLI.
 */
export function fromEnvironment<Name extends string>(names: readonly Name[], env: NodeJS.ProcessEnv = process.env): { value: string; name: Name } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { value, name };
  }
  return undefined;
}

/** Resolves the service endpoint. */
export function resolveEndpoint(explicit: string | URL | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedEndpoint {
  if (explicit !== undefined && explicit !== "") return { url: parse(String(explicit), "endpoint"), source: "option" };
  const fromEnv = fromEnvironment(ENDPOINT_ENV_VARS, env);
  if (fromEnv !== undefined) return { url: parse(fromEnv.value, fromEnv.name), source: fromEnv.name };
  return { url: new URL(GLOBAL_ENDPOINT), source: "default" };
}

/** Client region: explicit > `AWS_REGION` > `AWS_DEFAULT_REGION` > `us-east-1`. */
export function resolveRegion(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || fromEnvironment(REGION_ENV_VARS, env)?.value || SIGV4_SIGNING_REGION;
}

/**
 * SigV4 scope: service `IngestionService`; region `us-east-1` for the global endpoint (its credentialScope),
 * the client's region for any other endpoint (what botocore does with `endpoint_url`).
 */
export function sigV4Scope(endpoint: URL, region: string): { service: string; region: string } {
  const global = new URL(GLOBAL_ENDPOINT);
  return { service: SIGV4_SIGNING_NAME, region: endpoint.host === global.host ? SIGV4_SIGNING_REGION : region };
}

/** STS endpoint for `whoAmI`: explicit > `AWS_ENDPOINT_URL_STS` > `AWS_ENDPOINT_URL` > the SDK's default. */
export function resolveStsEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit || fromEnvironment(["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"], env)?.value;
}
