/**
 * A real HTTP server that answers every request with a hostile body (issue 22 item 4), chosen by the request path:
 * - `/huge?mib=N`: a 200 of N MiB (chunked, no length given), `/declared?mib=N` the same with a `content-length`;
 * - `/fast`: a 200 whose body never ends, written as fast as the client reads;
 * - `/trickle`: a 200 whose body never ends, one byte every 50 ms (never idle long enough for an idle timer).
 * `status=N` answers with that HTTP status instead of 200. The first path segment chooses the answer, and `mib` and
 * `status` may also stand as path segments (`/huge/mib=2`): a REST client (IoT's) appends its own path to the
 * endpoint and drops the endpoint's query, so `${origin}/huge/mib=2` still reaches `/huge/mib=2/jobs/{jobId}`.
 * It counts what it wrote per request, so a test can tell where the client stopped reading.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** One answered request: its path and the body bytes written before the client closed the connection (or the end). */
export interface HostileExchange {
  path: string;
  bytesWritten: number;
  /** Resolves when the connection has closed. */
  closed: Promise<void>;
}

/** The running server. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request answered so far, in order. */
  exchanges: HostileExchange[];
  close(): Promise<void>;
}

/** One mebibyte. */
export const MiB = 1024 * 1024;
/**
 * What the kernel's socket buffers can hold between the server's writes and the client's reads (loopback): a client
 * that stopped reading at its cap still sees the server write up to this much more.
 */
export const SOCKET_SLACK = 16 * MiB;

const CHUNK = Buffer.alloc(64 * 1024, "a");

/** Writes `total` bytes (Infinity: until the client goes away), honouring back-pressure. */
function pump(res: ServerResponse, total: number, count: (n: number) => void): void {
  let written = 0;
  const more = (): void => {
    while (written < total && !res.destroyed) {
      const piece = total - written >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - written);
      written += piece.length;
      count(piece.length);
      if (!res.write(piece)) {
        res.once("drain", more);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  more();
}

/** Starts the server on a random loopback port. */
export async function startHostileServer(): Promise<HostileServer> {
  const exchanges: HostileExchange[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let onClosed!: () => void;
    const exchange: HostileExchange = { path: url.pathname, bytesWritten: 0, closed: new Promise((r) => (onClosed = r)) };
    exchanges.push(exchange);
    res.on("close", () => onClosed());
    const count = (n: number): void => void (exchange.bytesWritten += n);
    req.resume();
    req.on("end", () => {
      const segments = url.pathname.split("/");
      const param = (name: string): string | undefined => url.searchParams.get(name) ?? segments.find((x) => x.startsWith(`${name}=`))?.slice(name.length + 1);
      const mib = Number(param("mib") ?? "100");
      const status = Number(param("status") ?? "200");
      switch (`/${segments[1] ?? ""}`) {
        case "/huge":
          res.writeHead(status, { "content-type": "text/xml" });
          pump(res, mib * 1024 * 1024, count);
          break;
        case "/declared":
          res.writeHead(status, { "content-type": "text/xml", "content-length": String(mib * 1024 * 1024) });
          pump(res, mib * 1024 * 1024, count);
          break;
        case "/fast":
          res.writeHead(status, { "content-type": "text/xml" });
          pump(res, Infinity, count);
          break;
        case "/trickle": {
          res.writeHead(status, { "content-type": "text/xml" });
          const timer = setInterval(() => {
            if (res.destroyed) return;
            res.write("<");
            count(1);
          }, 50);
          res.on("close", () => clearInterval(timer));
          break;
        }
        default:
          res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Registers beforeAll/afterAll hooks that run one hostile server for the enclosing block (or file); returns a getter. */
export function withHostileServer(): () => HostileServer {
  let server: HostileServer | undefined;
  beforeAll(async () => {
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error("withHostileServer(): the server is only available inside tests");
    return server;
  };
}
