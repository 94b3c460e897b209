/**
 * The emulator's admin API (`/_emulator/...`, docs/emulator.md) as the `importexport emulator ...` verbs call it:
 * plain JSON over HTTP, unsigned (the emulator answers admin calls on loopback only), with every state-changing call
 * sent as `Content-Type: application/json`, which the emulator's loopback guard requires.
 */
import { request } from "undici";
import { DEFAULT_PORT } from "../emulator/index";
import { fromEnvironment } from "../sdk/endpoint";
import { CliInputError, EmulatorAdminError } from "./errors";

/** Where an emulator started with default flags listens. */
export const DEFAULT_EMULATOR_ENDPOINT = `http://127.0.0.1:${DEFAULT_PORT}`;

/** Environment variables naming the emulator for the Import/Export verbs, first match wins (as the job verbs read them). */
export const ADMIN_ENDPOINT_ENV_VARS = ["AWS_ENDPOINT_URL_IMPORTEXPORT", "AWS_ENDPOINT_URL"] as const;
/** The same for the IoT verbs: the emulator serves both services on one port. */
export const IOT_ADMIN_ENDPOINT_ENV_VARS = ["AWS_ENDPOINT_URL_IOT", "AWS_ENDPOINT_URL"] as const;

/** HTTP status → the code shown in `importexport: <Code>: ...` for an admin refusal. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: "InvalidAdminRequest",
  403: "AdminAccessDenied",
  404: "NotFound",
  409: "Conflict",
  415: "UnsupportedMediaType",
};

/**
 * The emulator's base URL: `--endpoint-url` > the first of `envVars` set > {@link DEFAULT_EMULATOR_ENDPOINT}.
 * Only `http:`/`https:` URLs without a path, query or credentials are accepted (the admin routes hang off the root).
 */
export function resolveAdminEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv, envVars: readonly string[]): URL {
  const fromEnv = flag === undefined ? fromEnvironment(envVars, env) : undefined;
  const text = flag ?? fromEnv?.value ?? DEFAULT_EMULATOR_ENDPOINT;
  const source = flag !== undefined ? "--endpoint-url" : (fromEnv?.name ?? "the default endpoint");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliInputError("UsageError", `${source} must be a URL such as ${DEFAULT_EMULATOR_ENDPOINT}, found ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliInputError("UsageError", `${source} must be an http:// or https:// URL, found ${JSON.stringify(url.protocol)}.`);
  }
  if (url.username !== "" || url.password !== "") {
    // Not echoed: the user:password part may be a secret.
    throw new CliInputError("UsageError", `${source} must not carry a user name or password (the admin API takes none).`);
  }
  if (url.search !== "" || (url.pathname !== "/" && url.pathname !== "")) {
    throw new CliInputError("UsageError", `${source} must be the emulator's base URL (scheme, host and port only), found ${JSON.stringify(text)}.`);
  }
  return url;
}

/** A path segment of an admin route, percent-encoded (job ids and thing names are user text). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Calls `method /_emulator/{route}` on the emulator at `endpoint` and returns its JSON answer. A refusal becomes an
 * {@link EmulatorAdminError} carrying the emulator's message; so does an endpoint that is not an emulator.
 */
export async function callAdmin(endpoint: URL, method: "GET" | "POST", route: string, body?: Record<string, unknown>): Promise<unknown> {
  const url = new URL(`/_emulator/${route}`, endpoint);
  let status: number;
  let text: string;
  try {
    // undici's request rather than fetch: fetch refuses "bad ports" (1, 6000, ...) a user may well have chosen.
    const res = await request(url, {
      method,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
      // No keep-alive: an idle pooled socket would hold the command's process open after it printed.
      reset: true,
      ...(method === "POST" ? { body: JSON.stringify(body ?? {}), headers: { "content-type": "application/json" } } : {}),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "NetworkError";
    throw new EmulatorAdminError(code, `No emulator answers at ${endpoint.origin}; start one with \`importexport emulator\`, or pass --endpoint-url with the endpoint its first line printed.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EmulatorAdminError("NotAnEmulator", `${endpoint.origin} answered ${method} /_emulator/${route} with HTTP ${status} and no JSON: it is not the Import/Export emulator.`);
  }
  if (status < 200 || status > 299) {
    const message = (value as { error?: unknown } | null)?.error;
    throw new EmulatorAdminError(STATUS_CODES[status] ?? `HTTP${status}`, typeof message === "string" ? message : `HTTP ${status} from ${method} /_emulator/${route}.`);
  }
  return value;
}
