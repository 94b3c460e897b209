import { isUtf8 } from "node:buffer";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { API_VERSION, SIGV4_SIGNING_NAME, isOperationName } from "../sdk/model";
import { ADMIN_PREFIX, handleAdmin, type AdminContext } from "./admin";
import { authenticate, type SignedRequest } from "./auth";
import type { ImportExportBackend } from "./backend";
import type { AccountDirectory } from "./accounts";
import { applyFault, applyFaultAfter, type FaultInjector, type FaultRule } from "./faults";
import { handleIot, iotBodyTooLarge, isIotRequest, sendIotError } from "./iot/http";
import type { EmulatorLogger } from "./log";
import type { RequestStats } from "./stats";
import { ServiceError } from "./errors";
import { MAX_BODY_BYTES, operationInput, parseForm, type QueryParams } from "./wire/query";
import { serializeError, serializeForeignResult, serializeResult } from "./wire/xml";

/** STS protocol version and namespace (GetCallerIdentity, so `@aws-sdk/client-sts` works against the emulator). */
const STS_VERSION = "2011-06-15";
const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
/** SigV4 service names accepted for Import/Export calls (botocore signs `IngestionService`). */
const IMPORTEXPORT_SIGV4_SERVICES = [SIGV4_SIGNING_NAME, "importexport"];

/** Everything the HTTP layer needs. */
export interface ServerContext extends AdminContext {
  backend: ImportExportBackend;
  faults: FaultInjector;
  stats: RequestStats;
  accounts: AccountDirectory;
  verifySignatures: boolean;
  logger: EmulatorLogger;
  /**
   * Wall clock for signature time checks. Unlike `now` it ignores the admin clock offset: fast-forwarding job time
   * (expiry, progression) must not make every client's freshly signed request look 30 days old.
   */
  signingNow: () => number;
}

class BodyTooLarge extends Error {}

/** Reads the request body, refusing more than MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string, close = false): void {
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

function sendError(res: ServerResponse, error: ServiceError, requestId: string, namespace?: string, close = false): void {
  sendXml(res, error.status, serializeError(error, requestId, namespace), requestId, close);
}

/** Drops the TCP connection without an HTTP response (RST where the platform allows). */
function dropConnection(socket: Socket): void {
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (typeof withReset.resetAndDestroy === "function") withReset.resetAndDestroy();
  else socket.destroy();
}

/**
 * Socket timeouts, in ms. Node's defaults (60 s for the headers, 300 s for a whole request) let a client that
 * trickles bytes hold a connection for minutes; every Import/Export request is at most 1 MiB over a local network.
 * `connectionsCheckingInterval` is how often Node looks for requests past those limits.
 */
export const SERVER_TIMEOUTS = {
  /** The request line and headers must arrive within this (then 408 and close). */
  headersTimeout: 10_000,
  /** The whole request, body included, must arrive within this. */
  requestTimeout: 30_000,
  /**
   * An idle keep-alive connection is closed after this. Longer than the idle timeouts of the SDK's pool (4 s) and of
   * Node's global agent (5 s), so those clients always let go first and never send on a socket being closed.
   */
  keepAliveTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
} as const;

/** The error a request Node's HTTP layer refused gets: too large, too slow (SERVER_TIMEOUTS) or unparseable. */
function parserRefusal(code: string | undefined): { code: string; message: string; status: number; reason: string } {
  if (code === "HPE_HEADER_OVERFLOW") {
    return { code: "RequestHeaderSectionTooLarge", message: "The request headers are too large.", status: 431, reason: "Request Header Fields Too Large" };
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "HPE_HEADER_TIMEOUT") {
    const limits = `headers within ${SERVER_TIMEOUTS.headersTimeout / 1000} s, the whole request within ${SERVER_TIMEOUTS.requestTimeout / 1000} s`;
    return { code: "RequestTimeout", message: `The request did not arrive in time (${limits}).`, status: 408, reason: "Request Timeout" };
  }
  return { code: "MalformedHttpRequest", message: "The HTTP request could not be parsed.", status: 400, reason: "Bad Request" };
}

/** Creates the emulator's HTTP server (not yet listening). */
export function createEmulatorServer(ctx: ServerContext): Server {
  const server = createServer({ ...SERVER_TIMEOUTS, requireHostHeader: false }, (req, res) => {
    handle(ctx, req, res).catch((e: unknown) => {
      // A bug, not a client mistake: answer as the service would (500 InternalFailure) and keep serving.
      ctx.logger({ level: "error", msg: "internal error", error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent && !res.destroyed) {
        sendError(res, new ServiceError("InternalFailure"), randomUUID());
      } else {
        res.destroy();
      }
    });
  });
  // Requests Node's HTTP parser rejects (bad request line, oversized headers) still get a Query error document.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const { code, message, status, reason } = parserRefusal(err.code);
    const xml = serializeError(new ServiceError(code, message, status), requestId);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        `Content-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(xml)}\r\nx-amzn-RequestId: ${requestId}\r\nConnection: close\r\n\r\n${xml}`,
    );
  });
  return server;
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const started = Date.now();
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const method = req.method ?? "GET";
  const iot = isIotRequest(req.headers, path);

  let rawBody: Buffer;
  try {
    rawBody = await readBody(req);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      if (iot) sendIotError(res, iotBodyTooLarge(), requestId, true);
      else sendError(res, new ServiceError("RequestEntityTooLarge"), requestId, undefined, true);
      req.resume();
      return;
    }
    res.destroy();
    return;
  }

  if (path.startsWith(ADMIN_PREFIX)) {
    handleAdmin(ctx, req, res, path, rawBody.toString("utf8"), rawQuery);
    return;
  }
  // The IoT Jobs control plane (rest-json) shares the process, accounts and SigV4 verifier.
  if (iot) return handleIot(ctx, req, res, { requestId, path, rawQuery, rawBody, started }, () => dropConnection(req.socket));

  let action = "(none)";
  // A ValidateOnly CreateJob/UpdateJob creates or changes nothing: its log line says so, or one real job looks like three.
  let validateOnly: { validateOnly: true } | Record<string, never> = {};
  let namespace: string | undefined;
  // Opt-in per-stage timing (--profile-stages); one undefined check per stage otherwise.
  const stages = ctx.stats.stages;
  let mark = stages !== undefined ? performance.now() : 0;
  try {
    if (method !== "POST" && method !== "GET") {
      throw new ServiceError("InvalidHttpRequest", `HTTP method ${method} is not supported; use POST (form body) or GET (query string).`, 405);
    }
    if (!isUtf8(rawBody)) throw new ServiceError("MalformedQueryString", "The request body is not valid UTF-8.");
    const query = parseForm(rawQuery, "query string");
    const bodyText = method === "POST" ? rawBody.toString("utf8") : "";
    const body = method === "POST" ? parseForm(bodyText, "request body") : new Map<string, string>();
    // Members may come from the body (every SDK) or the URL (GET, or clients that post to /?Operation=X).
    const params: QueryParams = query.size === 0 ? body : new Map([...query, ...body]);
    action = params.get("Action") ?? query.get("Operation") ?? "";
    if (action === "") {
      ctx.stats.count("(none)", false);
      throw new ServiceError("MissingAction", "The request must contain the parameter Action.");
    }
    const isSts = action === "GetCallerIdentity";
    if (isSts) namespace = STS_NAMESPACE;
    if ((action === "CreateJob" || action === "UpdateJob") && params.get("ValidateOnly")?.toLowerCase() === "true") validateOnly = { validateOnly: true };
    ctx.stats.count(action, isOperationName(action) || isSts);

    const decision = ctx.faults.decide(action);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const faultError = (rule: FaultRule): ServiceError =>
      rule.kind === "throttle" ? new ServiceError(rule.code ?? "Throttling", rule.message ?? "Rate exceeded", rule.status ?? 400) : new ServiceError(rule.code ?? "InternalFailure", rule.message, rule.status);
    const fault = applyFault(decision, {
      drop: () => {
        ctx.logger({ level: "info", msg: "fault: connection reset before processing", requestId, action });
        dropConnection(req.socket);
      },
      error: faultError,
    });
    if (fault === "dropped") return;

    const version = params.get("Version");
    const operation = isOperationName(action) ? action : undefined;
    if (!isSts && operation === undefined) {
      throw new ServiceError("InvalidAction", `The action ${action.length > 64 ? `${action.slice(0, 64)}…` : action} is not valid for this web service.`.replace(/[\u0000-\u001f]/g, "?"));
    }
    const expectedVersion = isSts ? STS_VERSION : API_VERSION;
    if (version === undefined || version === "") {
      throw new ServiceError("MissingParameterException", "The request must contain the parameter Version.");
    }
    if (version !== expectedVersion) {
      throw new ServiceError("InvalidAction", `Could not find operation ${action} for version ${version.slice(0, 32).replace(/[\u0000-\u001f]/g, "?")} (expected ${expectedVersion}).`);
    }

    if (stages !== undefined) mark = stages.lap("parse", mark);
    const signed: SignedRequest = {
      method,
      host: typeof req.headers.host === "string" ? req.headers.host : "",
      path,
      rawQuery,
      query,
      body,
      headers: req.headers,
      rawBody,
      bodyText,
    };
    const caller = authenticate(signed, {
      accounts: ctx.accounts,
      now: ctx.signingNow(),
      verifySignatures: ctx.verifySignatures,
      sigV4Services: isSts ? ["sts"] : IMPORTEXPORT_SIGV4_SERVICES,
    });

    if (stages !== undefined) mark = stages.lap("auth", mark);

    let xml: string;
    if (operation !== undefined) {
      const output = ctx.backend.handle(operation, operationInput(operation, params), caller);
      if (stages !== undefined) mark = stages.lap("dispatch", mark);
      xml = serializeResult(operation, output, requestId);
      if (stages !== undefined) mark = stages.lap("serialize", mark);
    } else {
      const { accountId } = caller.account;
      xml = serializeForeignResult(
        "GetCallerIdentity",
        STS_NAMESPACE,
        [
          ["Arn", `arn:aws:iam::${accountId}:user/importexport-emulator`],
          ["UserId", `EMULATORUSER${accountId}`],
          ["Account", accountId],
        ],
        requestId,
      );
    }
    // The ambiguous cases: the work is done (a job may exist) but the client never hears about it (drop-after), or
    // hears an error (after: true).
    const after = applyFaultAfter(fault, {
      drop: () => {
        ctx.logger({ level: "info", msg: "fault: connection dropped after processing", requestId, action });
        dropConnection(req.socket);
      },
      error: faultError,
    });
    if (after === "dropped") return;
    sendXml(res, 200, xml, requestId);
    if (stages !== undefined) mark = stages.lap("write", mark);
    ctx.logger({ level: "info", msg: "request", requestId, action, ...validateOnly, status: 200, ms: Date.now() - started, sigv: caller.signatureVersion, account: caller.account.accountId });
    if (stages !== undefined) {
      stages.lap("log", mark);
      stages.done();
    }
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    sendError(res, e, requestId, namespace);
    ctx.logger({ level: e.status >= 500 ? "warn" : "info", msg: "request", requestId, action: action.slice(0, 64), ...validateOnly, status: e.status, code: e.code, ms: Date.now() - started });
  }
}
