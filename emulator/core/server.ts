/**
 * The emulator's HTTP server: reads each request (body limit, socket timeouts, malformed HTTP), sends `/_emulator/`
 * to the admin router and every other request to the first registered service that matches it (emulator/services.ts),
 * or to the fallback service.
 * It knows no service by name.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { EmulatorLogger } from "./log";
import { ServiceError } from "./query/errors";
import { MAX_BODY_BYTES } from "./query/form";
import { sendQueryError } from "./query/edge";
import { serializeError } from "./query/xml";
import type { EmulatedService, EmulatorRequest } from "./service";

/** Prefix of every emulator-only route. */
export const ADMIN_PREFIX = "/_emulator/";

/** Everything the HTTP layer needs. */
export interface ServerContext {
  /** The registered services, in matching order (the last may match everything). */
  services: readonly EmulatedService[];
  /** Serves `/_emulator/…` (path, body and query string already read). */
  admin: (req: IncomingMessage, res: ServerResponse, path: string, body: string, rawQuery: string) => void;
  logger: EmulatorLogger;
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
    let service: EmulatedService | undefined;
    handle(ctx, req, res, (s) => (service = s)).catch((e: unknown) => {
      // A bug, not a client mistake: answer as the service would (500 InternalFailure) and keep serving.
      ctx.logger({ level: "error", msg: "internal error", error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent && !res.destroyed) {
        if (service !== undefined) service.sendError(res, "internal-error", randomUUID());
        else sendQueryError(res, new ServiceError("InternalFailure"), randomUUID());
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

/** The first registered service that claims the request, else the fallback service. */
function serviceFor(ctx: ServerContext, request: EmulatorRequest): EmulatedService | undefined {
  for (const service of ctx.services) if (service.fallback !== true && service.matches(request)) return service;
  return ctx.services.find((service) => service.fallback === true && service.matches(request));
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, chosen: (service: EmulatedService) => void): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const request: EmulatorRequest = {
    requestId: randomUUID(),
    started: Date.now(),
    method: req.method ?? "GET",
    path,
    rawQuery: q < 0 ? "" : url.slice(q + 1),
    headers: req.headers,
    rawBody: EMPTY,
    req,
  };
  try {
    request.rawBody = await readBody(req);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      // Matched on the head alone: the answer must still come in the right service's envelope.
      const service = path.startsWith(ADMIN_PREFIX) ? undefined : serviceFor(ctx, request);
      if (service !== undefined) service.sendError(res, "body-too-large", request.requestId);
      else sendQueryError(res, new ServiceError("RequestEntityTooLarge"), request.requestId, undefined, true);
      req.resume();
      return;
    }
    res.destroy();
    return;
  }
  if (path.startsWith(ADMIN_PREFIX)) {
    ctx.admin(req, res, path, request.rawBody.toString("utf8"), request.rawQuery);
    return;
  }
  const service = serviceFor(ctx, request);
  if (service === undefined) {
    sendQueryError(res, new ServiceError("InvalidAction", "No emulated service answers this request."), request.requestId);
    return;
  }
  chosen(service);
  await service.handle(request, res);
}

const EMPTY = Buffer.alloc(0);
