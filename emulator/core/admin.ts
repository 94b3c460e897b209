import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccountDirectory } from "./accounts";
import type { ChangeFeed } from "./changes";
import { DashboardQueryError, handleDashboard } from "./dashboard";
import { FaultRuleError, parseFaultRule, type FaultInjector } from "./faults";
import { checkLocalRequest } from "./guard";
import { ADMIN_PREFIX } from "./server";
import { AdminError, type EmulatedService } from "./service";
import type { RequestStats } from "./stats";

export { ADMIN_PREFIX };

/** What the admin routes can reach. */
export interface AdminContext {
  /** The registered services (emulator/services.ts): their routes, reset and health counts. */
  services: readonly EmulatedService[];
  faults: FaultInjector;
  stats: RequestStats;
  accounts: AccountDirectory;
  /** Current emulator time (epoch ms), including any admin clock offset. */
  now: () => number;
  /** Moves the emulator's job clock forward (admin `POST clock`). */
  advanceClock: (ms: number) => void;
  /** Puts the job clock back to the wall clock (admin `reset`). */
  resetClock: () => void;
  startedAt: number;
  /** Bumped on every change the dashboard shows (its live updates follow it). */
  changes: ChangeFeed;
  /** The emulator's base URL; its host:port is always an accepted Host header. */
  endpoint: () => string;
}

/** Largest single `POST clock` step: ten years of milliseconds, far more than the 30-day expiry needs. */
export const MAX_CLOCK_ADVANCE_MS = 10 * 366 * 24 * 60 * 60 * 1000;
/** Latest emulator time the clock may reach (dates must stay four-digit years for every client's parser). */
export const MAX_JOB_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The checked `advanceMs` of `POST clock`: an integer number of ms, 0..MAX_CLOCK_ADVANCE_MS, not past MAX_JOB_TIME. */
function clockAdvance(value: unknown, now: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > MAX_CLOCK_ADVANCE_MS) {
    throw new AdminError(400, `advanceMs must be a whole number of milliseconds from 0 to ${MAX_CLOCK_ADVANCE_MS} (ten years), found ${typeof value === "number" ? String(value) : value === undefined ? "nothing" : `a ${typeof value}`}.`);
  }
  if (now + value > MAX_JOB_TIME) throw new AdminError(400, `advanceMs ${value} would move the clock past ${new Date(MAX_JOB_TIME).toISOString()}.`);
  return value;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** An admin request's JSON body (`{}` when empty); 400 when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  if (body.trim().length === 0) return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new AdminError(400, "The request body is not valid JSON.");
  }
}

/** A percent-encoded path segment, decoded; bad encoding (`%E0%A4%A`) is the client's mistake (400), not a 500. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AdminError(400, `The path segment ${JSON.stringify(segment.slice(0, 64))} is not valid percent-encoding (UTF-8, %XX).`);
  }
}

/**
 * Serves `/_emulator/...`: health, reset, stats, faults, clock, accounts, the dashboard (`ui`) and each registered
 * service's routes (under its prefix), all behind the loopback guard (emulator/core/guard.ts: socket, Host, Origin,
 * JSON content type), except the routes a service serves unguarded (the artifact/label PDFs whose URLs the API hands
 * out, like the pre-signed URLs they stand for).
 */
export function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string, body: string, rawQuery = ""): void {
  try {
    const route = path.slice(ADMIN_PREFIX.length);
    const method = req.method ?? "GET";
    for (const service of ctx.services) {
      const admin = service.admin;
      if (admin?.serveUnguarded !== undefined && route.startsWith(admin.prefix) && admin.serveUnguarded(method, route.slice(admin.prefix.length), res)) return;
    }
    const refusal = checkLocalRequest(req, { boundHost: hostOf(ctx.endpoint()) });
    if (refusal !== undefined) throw new AdminError(refusal.status, refusal.message);
    if (handleDashboard(ctx, method, route, res, new URLSearchParams(rawQuery))) return;
    switch (`${method} ${route}`) {
      case "GET health":
        return sendJson(res, 200, { status: "ok", uptimeMs: Date.now() - ctx.startedAt, ...Object.assign({}, ...ctx.services.map((s) => s.admin?.health?.() ?? {})) });
      case "POST reset":
        for (const service of ctx.services) service.admin?.reset();
        ctx.faults.clear();
        ctx.stats.reset();
        ctx.resetClock();
        ctx.changes.bump();
        return sendJson(res, 200, { reset: true });
      case "GET stats":
        return sendJson(res, 200, { ...ctx.stats.snapshot(), faultsInjected: ctx.faults.fired });
      case "GET faults":
        return sendJson(res, 200, { rules: ctx.faults.list() });
      case "POST faults": {
        const input = parseJsonBody(body);
        const list = Array.isArray(input) ? input : Array.isArray((input as { rules?: unknown })?.rules) ? (input as { rules: unknown[] }).rules : [input];
        ctx.faults.add(list.map((r, i) => parseFaultRule(r, i)));
        return sendJson(res, 200, { rules: ctx.faults.list() });
      }
      case "DELETE faults":
        ctx.faults.clear();
        return sendJson(res, 200, { rules: [] });
      case "GET clock":
        return sendJson(res, 200, { now: new Date(ctx.now()).toISOString() });
      case "POST clock": {
        const input = parseJsonBody(body) as { advanceMs?: unknown } | null;
        // Validate before applying: a time past MAX_JOB_TIME makes every job date unserializable (and the journal
        // would keep such dates across restarts).
        const ms = clockAdvance(input?.advanceMs, ctx.now());
        ctx.advanceClock(ms);
        ctx.changes.bump();
        return sendJson(res, 200, { now: new Date(ctx.now()).toISOString() });
      }
      case "GET accounts":
        return sendJson(res, 200, { accounts: ctx.accounts.accounts });
    }
    for (const service of ctx.services) {
      const admin = service.admin;
      if (admin === undefined || !route.startsWith(admin.prefix)) continue;
      const answer = admin.route(method, route.slice(admin.prefix.length), body);
      if (answer !== undefined) return sendJson(res, answer.status, answer.value);
    }
    throw new AdminError(404, `No admin route ${method} ${path}.`);
  } catch (e) {
    if (e instanceof AdminError) return sendJson(res, e.status, { error: e.message });
    if (e instanceof FaultRuleError) return sendJson(res, 400, { error: e.message });
    if (e instanceof DashboardQueryError) return sendJson(res, 400, { error: e.message });
    throw e;
  }
}

/** `host:port` of a base URL (empty when it is not one yet: nothing is listening then). */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "";
  }
}
