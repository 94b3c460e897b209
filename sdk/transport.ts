/**
 * HTTP transport over undici with a keep-alive Agent. It reports whether the request had been fully written
 * when a failure happened: that is what decides whether a non-idempotent CreateJob may be retried.
 */
import { Agent, type Dispatcher } from "undici";

/** Timeouts and pool settings of the transport. */
export interface TransportOptions {
  /** Milliseconds to establish a connection (TCP + TLS). Default 5 000. */
  connectTimeout?: number;
  /** Milliseconds to wait for the response headers, and between body chunks, once sent. Default 30 000. */
  responseTimeout?: number;
  /** Milliseconds an idle keep-alive socket is kept. Default 4 000 (below Node's 5 s server default). */
  keepAliveTimeout?: number;
  /** Sockets per origin. Default 64. */
  connections?: number;
}

/** A complete HTTP response. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A request to send. */
export interface HttpRequest {
  url: URL;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** Transport failure: no complete response arrived. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  /** `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, `RESPONSE_TIMEOUT`, `UND_ERR_CONNECT_TIMEOUT`, ... */
  readonly code: string;
  /** Whether the whole request had been written to the socket (the service may have processed it). */
  readonly requestSent: boolean;
  /** Whether this is a timeout (connect or response). */
  readonly timeout: boolean;

  constructor(message: string, code: string, requestSent: boolean) {
    super(message);
    this.code = code;
    this.requestSent = requestSent;
    this.timeout = /TIMEOUT/.test(code);
  }
}

function errorCode(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { code?: unknown; cause?: { code?: unknown } };
    if (typeof e.code === "string") return e.code;
    if (e.cause && typeof e.cause.code === "string") return e.cause.code;
  }
  return "UNKNOWN";
}

/** Sends requests through one keep-alive undici Agent. */
export class Transport {
  private readonly agent: Agent;
  private readonly responseTimeout: number;

  constructor(options: TransportOptions = {}) {
    this.responseTimeout = options.responseTimeout ?? 30_000;
    this.agent = new Agent({
      connect: { timeout: options.connectTimeout ?? 5_000 },
      keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
      connections: options.connections ?? 64,
      // Backstops only: the transport's own response timer (armed when the request is written) fires first.
      headersTimeout: this.responseTimeout + 1_000,
      bodyTimeout: this.responseTimeout + 1_000,
    });
  }

  /** Sends one request; resolves with the whole response, or rejects with a TransportError. */
  send(request: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let sent = false;
      let abort: ((err: Error) => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const responseTimeout = this.responseTimeout;
      let statusCode = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      // undici's handler protocol (onConnect/onRequestSent/onHeaders/...): the only way to learn that the
      // request left the client before the connection failed.
      const handler = {
        onConnect(abortRequest: (err: Error) => void): void {
          abort = abortRequest;
        },
        onRequestSent(): void {
          sent = true;
          // Our own clock from "request written" to "response complete": undici's headersTimeout is not armed
          // reliably on a reused keep-alive socket, and this is the interval that matters for ambiguity.
          timer = setTimeout(() => {
            const err = Object.assign(new Error(`no complete response within ${responseTimeout} ms of sending the request`), { code: "RESPONSE_TIMEOUT" });
            abort?.(err);
          }, responseTimeout);
        },
        onHeaders(status: number, raw: Buffer[] | string[] | null): boolean {
          sent = true;
          statusCode = status;
          headers = rawHeaders(raw);
          return true;
        },
        onData(chunk: Buffer): boolean {
          chunks.push(chunk);
          return true;
        },
        onComplete(): void {
          clearTimeout(timer);
          resolve({ statusCode, headers, body: Buffer.concat(chunks).toString("utf8") });
        },
        onError(err: Error): void {
          clearTimeout(timer);
          const code = errorCode(err);
          reject(new TransportError(`${code}: ${err.message}`, code, sent));
        },
      };
      try {
        this.agent.dispatch(
          {
            origin: request.url.origin,
            path: `${request.url.pathname}${request.url.search}`,
            method: request.method,
            headers: request.headers,
            body: request.body,
            headersTimeout: this.responseTimeout + 1_000,
            bodyTimeout: this.responseTimeout + 1_000,
          },
          handler as unknown as Dispatcher.DispatchHandler,
        );
      } catch (err) {
        const code = errorCode(err);
        reject(new TransportError(`${code}: ${err instanceof Error ? err.message : String(err)}`, code, false));
      }
    });
  }

  /** Closes the pooled sockets. Requests in flight are finished first. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

function rawHeaders(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}
