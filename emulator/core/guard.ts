/**
 * The one gate in front of every emulator-only route that is not a public artifact (admin API and dashboard).
 *
 * A socket address check alone is not enough against a browser on the same machine: a page on another site can
 * point its own DNS name at 127.0.0.1 (DNS rebinding) and read admin answers, or fire "simple" cross-site requests
 * (`text/plain` POSTs, HTML forms) that need no CORS preflight. So a request must also name a local Host, come
 * from no foreign Origin, and a state-changing one must carry a JSON content type, which no cross-site page can
 * send without a preflight this server never grants.
 */
import type { IncomingMessage } from "node:http";

/** Why a request was refused: the HTTP status and a message naming the header and what is wrong with it. */
export interface Refusal {
  status: number;
  message: string;
}

/** What the guard compares against. */
export interface GuardOptions {
  /** The emulator's own `host:port` as its endpoint names it (e.g. `127.0.0.1:4599`), always accepted as Host. */
  boundHost: string;
}

/** Methods that only read; every other method changes state and must send JSON. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** Whether a socket's remote address is on the loopback interface (IPv4, IPv6 or IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127."));
}

/** Whether a hostname (no port; IPv6 without brackets) names this machine's loopback interface. */
function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `host[:port]` split into hostname and port; undefined when it is not a well-formed authority. */
function parseAuthority(authority: string): { hostname: string; port: string } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(authority);
  if (m === null) return undefined;
  return { hostname: m[1] ?? m[2] ?? "", port: m[3] ?? "" };
}

/** Whether a Host value is one the emulator answers admin calls for: a loopback name/address, or its own host:port. */
function isAllowedHost(host: string, boundHost: string): boolean {
  if (boundHost !== "" && host.toLowerCase() === boundHost.toLowerCase()) return true;
  const parsed = parseAuthority(host);
  return parsed !== undefined && isLoopbackName(parsed.hostname);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** How many Host headers the request carried (`req.rawHeaders` keeps each one; `req.headers` only the first). */
function hostHeaderCount(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === "host") count++;
  return count;
}

/** A header value cut short and stripped of control characters, safe to echo in a message. */
function shown(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

/**
 * Checks one request to a guarded route; returns undefined when it may proceed, else the refusal to send.
 * Rules, in order: loopback socket; at most one Host header, absent or local; Origin absent or the emulator's own
 * `http://` origin (the same host:port as Host); `Sec-Fetch-Site` (when a browser sends it, any letter case) not
 * cross-site or same-site; non-GET/HEAD methods with `Content-Type: application/json`.
 */
export function checkLocalRequest(req: IncomingMessage, options: GuardOptions): Refusal | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    return { status: 403, message: "The admin API only answers on loopback." };
  }
  // Node keeps the first of several Host headers in req.headers; another server or proxy may act on a later one.
  const hosts = hostHeaderCount(req);
  if (hosts > 1) {
    return { status: 400, message: `The request has ${hosts} Host headers; the admin API answers only a request with one (RFC 9112 §3.2).` };
  }
  const host = header(req, "host");
  if (host !== undefined && !isAllowedHost(host, options.boundHost)) {
    return {
      status: 403,
      message: `Host header "${shown(host)}" is not a loopback name or address, nor this emulator's ${options.boundHost}; the admin API refuses it (DNS rebinding protection).`,
    };
  }
  const origin = header(req, "origin");
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      // The emulator serves plain http only: an https origin with the same host:port is another origin.
      if (url.protocol === "http:") originHost = url.host;
    } catch {
      originHost = undefined;
    }
    const sameOrigin = originHost !== undefined && (host === undefined ? isAllowedHost(originHost, options.boundHost) : originHost.toLowerCase() === host.toLowerCase());
    if (!sameOrigin) {
      return { status: 403, message: `Origin "${shown(origin)}" is not this emulator's own page; cross-site admin calls are refused.` };
    }
  }
  const site = header(req, "sec-fetch-site");
  // Header values compare case-insensitively here (a browser sends lower case; nothing else should get past in upper
  // case), and a repeated header (joined with commas) is refused when any of its values is.
  const sites = site?.split(",").map((v) => v.trim().toLowerCase()) ?? [];
  if (sites.includes("cross-site") || sites.includes("same-site")) {
    return { status: 403, message: `Sec-Fetch-Site "${shown(site ?? "")}": admin calls from another site are refused.` };
  }
  const method = req.method ?? "GET";
  if (!SAFE_METHODS.has(method)) {
    const type = (header(req, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      return {
        status: 415,
        message: `${method} admin calls need Content-Type: application/json (got ${type === undefined || type === "" ? "none" : `"${shown(type)}"`}); this keeps cross-site form posts out.`,
      };
    }
  }
  return undefined;
}
