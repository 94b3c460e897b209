import { isUtf8 } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, type Caller } from "../core/auth";
import { DROPPED, withFaults } from "../core/faults";
import { ServiceError } from "../core/query/errors";
import { dropConnection, type EmulatorRequest, type ServiceEnv } from "../core/service";
import type { IotBackend, IotInput, IotOutput } from "./backend";
import { IOT_ERRORS, IOT_OPERATIONS, type IotOperationName, type IotShape } from "../../sdk/iot/model";
import { validateShape } from "../../sdk/iot/validate";
import { IotError, invalidRequest, refuse } from "./errors";

/** The SigV4 signing name of the IoT control plane (credential scope `…/<region>/iot/aws4_request`). */
export const IOT_SIGNING_NAME = "iot";

/** What the IoT wire edge needs: the emulator's shared accounts, verifier settings, faults, stats and log, and its backend. */
export type IotHttpContext = Pick<ServiceEnv, "faults" | "stats" | "accounts" | "verifySignatures" | "logger" | "signingNow"> & { iot: IotBackend };

/** Top-level REST paths of the IoT control plane (Import/Export only ever uses `/`). */
const IOT_PATH = /^\/(jobs|things|thing-groups|tags|untag)(\/|$)/;

/** The service named in a SigV4 Authorization header's credential scope, if any. */
function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  const m = authorization !== undefined ? /Credential=[^/,\s]*\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization) : null;
  return m === null ? undefined : { region: m[1] ?? "", service: m[2] ?? "" };
}

/**
 * True when a request is for the IoT control plane: signed with the `iot` credential scope (how moto and AWS
 * route too), or, unsigned or mis-signed, sent to one of IoT's REST paths (so it gets a rest-json error).
 */
export function isIotRequest(headers: IncomingMessage["headers"], path: string): boolean {
  const auth = headers.authorization;
  // The substring test spares every Import/Export request the regular expression.
  const scoped = typeof auth === "string" && auth.includes(`/${IOT_SIGNING_NAME}/aws4_request`) && credentialScope(auth)?.service === IOT_SIGNING_NAME;
  return scoped || IOT_PATH.test(path);
}

interface Route {
  operation: IotOperationName;
  method: string;
  pattern: RegExp;
  labels: string[];
}

const ROUTES: Route[] = Object.entries(IOT_OPERATIONS)
  .map(([operation, op]) => {
    const labels: string[] = [];
    const source = op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_all, name: string) => {
      labels.push(name);
      return "([^/]+)";
    });
    return { operation: operation as IotOperationName, method: op.method, pattern: new RegExp(`^${source}$`), labels };
  })
  // Literal paths before templated ones (`/thing-groups/addThingToThingGroup` before `/thing-groups/{name}`).
  .sort((a, b) => a.labels.length - b.labels.length);

function route(method: string, path: string): { operation: IotOperationName; labels: Map<string, string> } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m === null) continue;
    const labels = new Map<string, string>();
    r.labels.forEach((name, i) => labels.set(name, decode(m[i + 1] ?? "", `the URI label ${name}`)));
    return { operation: r.operation, labels };
  }
  return undefined;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidRequest(`${what} is not valid percent-encoding.`);
  }
}

/**
 * The URL query of a request for `operation`. A member the operation takes once (every IoT query member is a scalar)
 * may not appear twice: SigV4 sorts repeated names by value, so a signed `?status=A&status=B` replayed as
 * `?status=B&status=A` keeps its signature, and taking either one would let the replay change the meaning (the
 * Import/Export edge refuses repeats the same way). Names the operation does not take are ignored, as the service
 * drops unknown members.
 */
function parseQuery(rawQuery: string, operation: IotOperationName): Map<string, string> {
  const members: Readonly<Record<string, { location?: string }>> = IOT_OPERATIONS[operation].input;
  const out = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (part.length === 0) continue;
    const eq = part.indexOf("=");
    const name = decode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " "), "a query parameter name");
    if (out.has(name) && Object.prototype.hasOwnProperty.call(members, name) && members[name]?.location === "querystring") {
      throw invalidRequest(`The query parameter ${name} appears more than once; ${operation} takes a single ${name}.`);
    }
    out.set(name, decode((eq < 0 ? "" : part.slice(eq + 1)).replace(/\+/g, " "), `the query parameter ${name.slice(0, 64)}`));
  }
  return out;
}

/** A query-string value converted to its member's type (rest-json sends booleans and numbers as text there). */
function fromQuery(text: string, shape: IotShape, field: string): unknown {
  if (shape.type === "boolean") {
    if (text !== "true" && text !== "false") throw invalidRequest(`${field} must be true or false (got ${JSON.stringify(text.slice(0, 40))}).`);
    return text === "true";
  }
  if (shape.type === "integer" || shape.type === "long") {
    if (!/^-?\d{1,15}$/.test(text)) throw invalidRequest(`${field} must be a whole number (got ${JSON.stringify(text.slice(0, 40))}).`);
    return Number(text);
  }
  return text;
}

/** Body JSON: UTF-8, an object at the top. `JSON.parse` is iterative in V8, so deep nesting cannot overflow it. */
function parseBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (!isUtf8(raw)) throw invalidRequest("The request body is not valid UTF-8.");
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw invalidRequest("The request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidRequest("The request body must be a JSON object.");
  return value as Record<string, unknown>;
}

/** Builds and checks an operation's input from URI labels, query string and body, per the model. */
function buildInput(operation: IotOperationName, labels: Map<string, string>, query: Map<string, string>, body: Record<string, unknown>): IotInput {
  const input: IotInput = {};
  for (const [name, member] of Object.entries(IOT_OPERATIONS[operation].input) as [string, { shape: IotShape; location?: string; required?: boolean }][]) {
    let value: unknown;
    if (member.location === "uri") value = labels.get(name);
    else if (member.location === "querystring") {
      const text = query.get(name);
      value = text === undefined ? undefined : fromQuery(text, member.shape, name);
    } else value = body[name] ?? undefined;
    if (value === undefined || value === null) {
      if (member.required === true) throw invalidRequest(`${name} is required.`);
      continue;
    }
    input[name] = validateShape(value, member.shape, name, { report: refuse });
  }
  return input;
}

/** Auth failures in the names rest-json services use (the Query side's codes are XML-era names). */
const AUTH_CODES: Record<string, string> = {
  SignatureDoesNotMatch: "InvalidSignatureException",
  InvalidClientTokenId: "UnrecognizedClientException",
  MissingAuthenticationToken: "MissingAuthenticationTokenException",
  IncompleteSignature: "IncompleteSignatureException",
  RequestExpired: "InvalidSignatureException",
};

function sendJson(res: ServerResponse, status: number, body: string, requestId: string, extra: Record<string, string> = {}, close = false): void {
  const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "x-amzn-RequestId": requestId, ...extra };
  if (close) headers["Connection"] = "close";
  res.writeHead(status, headers);
  res.end(body);
}

/** Sends an IoT error: `x-amzn-ErrorType` header and `{"__type","message",…}` body (what botocore and SDK v3 read). */
export function sendIotError(res: ServerResponse, error: IotError, requestId: string, close = false): void {
  const body = JSON.stringify({ __type: error.code, message: error.message, ...error.extra });
  sendJson(res, error.status, body, requestId, { "x-amzn-ErrorType": error.code }, close);
}

/** The IoT answer to a body over the emulator's size limit. */
export function iotBodyTooLarge(): IotError {
  return new IotError("InvalidRequestException", "The request body is too large (the emulator accepts at most 1 MiB).", 413);
}

/**
 * Serves one IoT control-plane request: route by method and REST path, verify SigV4 (scope `iot`), apply fault
 * rules by operation name, decode and validate the input against the model, run the backend, answer in rest-json.
 */
export async function handleIot(ctx: IotHttpContext, request: EmulatorRequest, res: ServerResponse): Promise<void> {
  const { requestId, path, rawQuery, rawBody, started, method, req } = request;
  let operation = "(unknown)";
  try {
    const found = route(method, path);
    // Qualified like fault rules (`iot:CreateJob`): both services have a CreateJob, UpdateJob, CancelJob, ListJobs.
    ctx.stats.count(found !== undefined ? `iot:${found.operation}` : "iot:(unknown)", true);
    if (found === undefined) throw new IotError("UnknownOperationException", `No IoT operation answers ${method} ${path.slice(0, 200)}.`.replace(/[\u0000-\u001f]/g, "?"), 404);
    operation = found.operation;

    const result = await withFaults(
      ctx.faults,
      { action: operation, service: IOT_SIGNING_NAME },
      {
        drop: () => dropConnection(req.socket), // after: done, but the client never hears of it
        error: (rule) => {
          if (rule.kind === "throttle") return new IotError(rule.code ?? "ThrottlingException", rule.message ?? "Rate exceeded", rule.status);
          const code = rule.code ?? "InternalFailureException";
          return new IotError(code, rule.message ?? "Internal failure (injected fault).", rule.status ?? (code in IOT_ERRORS ? undefined : 500));
        },
      },
      () => {
        const authorization = typeof req.headers.authorization === "string" ? req.headers.authorization : undefined;
        if (authorization === undefined || !authorization.startsWith("AWS4-")) {
          throw new IotError("MissingAuthenticationTokenException", "IoT requests must be signed with SigV4 (an AWS4-HMAC-SHA256 Authorization header).", 403);
        }
        const query = parseQuery(rawQuery, found.operation);
        let caller: Caller;
        try {
          caller = authenticate(
            { method, host: typeof req.headers.host === "string" ? req.headers.host : "", path, rawQuery, query, body: new Map(), headers: req.headers, rawBody },
            { accounts: ctx.accounts, now: ctx.signingNow(), verifySignatures: ctx.verifySignatures, sigV4Services: [IOT_SIGNING_NAME] },
          );
        } catch (e) {
          if (!(e instanceof ServiceError)) throw e;
          throw new IotError(AUTH_CODES[e.code] ?? e.code, e.message, 403);
        }
        const region = credentialScope(authorization)?.region ?? "";
        // The region names the state and goes into ARNs: it must look like one, even when correctly signed.
        if (!/^[a-z]{2}(-[a-z0-9]+){1,3}$/.test(region)) throw new IotError("IncompleteSignatureException", `The credential scope region ${JSON.stringify(region.slice(0, 40))} is not an AWS region name.`, 403);

        const body = method === "GET" || method === "DELETE" ? {} : parseBody(rawBody);
        const input = buildInput(found.operation, found.labels, query, body);
        const output: IotOutput = ctx.iot.handle(found.operation, input, { accountId: caller.account.accountId, region });
        return { output, caller };
      },
    );
    if (result === DROPPED) return;
    const { output, caller } = result;
    sendJson(res, 200, output === undefined ? "" : JSON.stringify(output), requestId);
    ctx.logger({ level: "info", msg: "request", requestId, service: "iot", action: operation, status: 200, ms: Date.now() - started, account: caller.account.accountId });
  } catch (caught) {
    if (!(caught instanceof IotError)) {
      // A bug, not a client mistake: log it, answer in this protocol's envelope, keep serving.
      ctx.logger({ level: "error", msg: "internal error", requestId, service: "iot", action: operation, error: caught instanceof Error ? caught.message : String(caught) });
    }
    const e = caught instanceof IotError ? caught : new IotError("InternalFailureException", "An internal error occurred.", 500);
    sendIotError(res, e, requestId);
    ctx.logger({ level: e.status >= 500 ? "warn" : "info", msg: "request", requestId, service: "iot", action: operation, status: e.status, code: e.code, ms: Date.now() - started });
  }
}
