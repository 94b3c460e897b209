/**
 * The Query protocol's wire edge, shared by the services that speak it (Import/Export, STS): form decoding, the
 * Action and Version checks, stats, faults, signature verification and the XML answer. A service supplies only
 * its {@link QueryApi} (version, signing names, operations and how to run one).
 */
import { isUtf8 } from "node:buffer";
import type { ServerResponse } from "node:http";
import { authenticate, type Caller, type SignedRequest } from "../auth";
import { DROPPED, withFaults, type FaultRule } from "../faults";
import { dropConnection, type EmulatorRequest, type ServiceEnv } from "../service";
import type { Stage } from "../stats";
import { ServiceError } from "./errors";
import { parseForm, type QueryParams } from "./form";
import { serializeError } from "./xml";

/** One Query API: what the shared edge needs to know of a service. */
export interface QueryApi<Op extends string> {
  /** The `Version` parameter its requests carry. */
  version: string;
  /** XML namespace of its documents; undefined = Import/Export's (also used before the Action is known). */
  namespace?: string;
  /** SigV4 service names its requests may be signed for (SigV2 needs none). */
  sigV4Services: readonly string[];
  /** True when `action` is one of its operations. */
  isOperation(action: string): action is Op;
  /**
   * Runs one operation for an authenticated caller and returns the XML document. `lap` marks the end of a stage
   * (`dispatch`, `serialize`) when `--profile-stages` is on.
   */
  run(operation: Op, params: QueryParams, caller: Caller, requestId: string, lap: (stage: Stage) => void): string;
  /** Fields the request's log lines carry besides the Action (e.g. `validateOnly`), once the Action is known. */
  logFields?(action: string, params: QueryParams): Record<string, unknown>;
}

/** The Query edge's parts of the emulator. */
export type QueryEnv = Pick<ServiceEnv, "faults" | "stats" | "accounts" | "verifySignatures" | "logger" | "signingNow">;

/** Sends a Query XML document. */
export function sendXml(res: ServerResponse, status: number, xml: string, requestId: string, close = false): void {
  const length = Buffer.byteLength(xml);
  const headers: Record<string, string | number> = {
    "Content-Type": "text/xml",
    "Content-Length": length,
    "x-amzn-RequestId": requestId,
  };
  if (close) headers["Connection"] = "close";
  res.writeHead(status, headers);
  // A document as long in UTF-8 bytes as in characters is ASCII, whose Latin-1 bytes are the same: writing it as
  // Latin-1 is a plain copy where UTF-8 encoding walks every character (a third of the socket write's CPU).
  res.end(xml, length === xml.length ? "latin1" : "utf8");
}

/** Sends a Query `ErrorResponse`. */
export function sendQueryError(res: ServerResponse, error: ServiceError, requestId: string, namespace?: string, close = false): void {
  sendXml(res, error.status, serializeError(error, requestId, namespace), requestId, close);
}

/** The Query answer to a refusal of the server (body too large, a bug). */
export function queryRefusal(refusal: "body-too-large" | "internal-error"): ServiceError {
  return new ServiceError(refusal === "body-too-large" ? "RequestEntityTooLarge" : "InternalFailure");
}

/** The error an `error` or `throttle` fault rule answers on a Query API. */
function faultError(rule: FaultRule): ServiceError {
  return rule.kind === "throttle" ? new ServiceError(rule.code ?? "Throttling", rule.message ?? "Rate exceeded", rule.status ?? 400) : new ServiceError(rule.code ?? "InternalFailure", rule.message, rule.status);
}

type Params = { query: QueryParams; body: QueryParams; bodyText: string; params: QueryParams };

/** Parameters already read, per request (matching and serving read them once between them). */
const paramsRead = new WeakMap<EmulatorRequest, Params | ServiceError>();

/** The request's parameters: the body's (POST) and the URL's, the body winning. Throws ServiceError when malformed. */
function readParams(request: EmulatorRequest): Params {
  let read = paramsRead.get(request);
  if (read === undefined) {
    try {
      if (!isUtf8(request.rawBody)) throw new ServiceError("MalformedQueryString", "The request body is not valid UTF-8.");
      const query = parseForm(request.rawQuery, "query string");
      const bodyText = request.method === "POST" ? request.rawBody.toString("utf8") : "";
      const body = request.method === "POST" ? parseForm(bodyText, "request body") : new Map<string, string>();
      // Members may come from the body (every SDK) or the URL (GET, or clients that post to /?Operation=X).
      read = { query, body, bodyText, params: query.size === 0 ? body : new Map([...query, ...body]) };
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      read = e;
    }
    paramsRead.set(request, read);
  }
  if (read instanceof ServiceError) throw read;
  return read;
}

/**
 * True when the request is a well-formed Query call of `action`: how a service with a few actions on the shared
 * `/` path claims its requests. The parameters read here are not read again when the request is served.
 */
export function isQueryAction(request: EmulatorRequest, action: string): boolean {
  try {
    const { params, query } = readParams(request);
    return (params.get("Action") ?? query.get("Operation")) === action;
  } catch {
    return false;
  }
}

/** Serves one Query request for `api`. */
export async function serveQuery<Op extends string>(env: QueryEnv, api: QueryApi<Op>, request: EmulatorRequest, res: ServerResponse): Promise<void> {
  const { requestId, started, method, path, rawQuery, rawBody, req } = request;
  let action = "(none)";
  let logFields: Record<string, unknown> = {};
  let namespace: string | undefined;
  // Opt-in per-stage timing (--profile-stages); one undefined check per stage otherwise.
  const stages = env.stats.stages;
  let mark = stages !== undefined ? performance.now() : 0;
  const lap = (stage: Stage): void => {
    if (stages !== undefined) mark = stages.lap(stage, mark);
  };
  try {
    if (method !== "POST" && method !== "GET") {
      throw new ServiceError("InvalidHttpRequest", `HTTP method ${method} is not supported; use POST (form body) or GET (query string).`, 405);
    }
    const { query, body, bodyText, params } = readParams(request);
    action = params.get("Action") ?? query.get("Operation") ?? "";
    if (action === "") {
      env.stats.count("(none)", false);
      throw new ServiceError("MissingAction", "The request must contain the parameter Action.");
    }
    const operation = api.isOperation(action) ? action : undefined;
    if (operation !== undefined) namespace = api.namespace;
    if (api.logFields !== undefined) logFields = api.logFields(action, params);
    env.stats.count(action, operation !== undefined);

    const xml = await withFaults(
      env.faults,
      { action },
      {
        drop: (when) => {
          // The "after" case is the ambiguous one: the work is done (a job may exist) but the client never hears of it.
          env.logger({ level: "info", msg: when === "before" ? "fault: connection reset before processing" : "fault: connection dropped after processing", requestId, action });
          dropConnection(req.socket);
        },
        error: faultError,
      },
      () => {
        const version = params.get("Version");
        if (operation === undefined) {
          throw new ServiceError("InvalidAction", `The action ${action.length > 64 ? `${action.slice(0, 64)}…` : action} is not valid for this web service.`.replace(/[\u0000-\u001f]/g, "?"));
        }
        if (version === undefined || version === "") {
          throw new ServiceError("MissingParameterException", "The request must contain the parameter Version.");
        }
        if (version !== api.version) {
          throw new ServiceError("InvalidAction", `Could not find operation ${action} for version ${version.slice(0, 32).replace(/[\u0000-\u001f]/g, "?")} (expected ${api.version}).`);
        }
        lap("parse");
        const signed: SignedRequest = { method, host: typeof req.headers.host === "string" ? req.headers.host : "", path, rawQuery, query, body, headers: req.headers, rawBody, bodyText };
        const caller = authenticate(signed, { accounts: env.accounts, now: env.signingNow(), verifySignatures: env.verifySignatures, sigV4Services: api.sigV4Services });
        lap("auth");
        return { document: api.run(operation, params, caller, requestId, lap), caller };
      },
    );
    if (xml === DROPPED) return;
    sendXml(res, 200, xml.document, requestId);
    lap("write");
    const { caller } = xml;
    env.logger({ level: "info", msg: "request", requestId, action, ...logFields, status: 200, ms: Date.now() - started, sigv: caller.signatureVersion, account: caller.account.accountId });
    if (stages !== undefined) {
      stages.lap("log", mark);
      stages.done();
    }
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    sendQueryError(res, e, requestId, namespace);
    env.logger({ level: e.status >= 500 ? "warn" : "info", msg: "request", requestId, action: action.slice(0, 64), ...logFields, status: e.status, code: e.code, ms: Date.now() - started });
  }
}
