import type { IncomingMessage, ServerResponse } from "node:http";
import { renderPdf } from "./artifacts";
import type { AccountDirectory } from "./accounts";
import { awsShippingAddress } from "./backend/job";
import type { ImportExportBackend } from "./backend";
import { LifecycleError, type StateChange } from "./backend/lifecycle";
import type { ChangeFeed } from "./changes";
import { DashboardQueryError, handleDashboard } from "./dashboard";
import { FaultRuleError, parseFaultRule, type FaultInjector } from "./faults";
import { handleIotAdmin } from "./iot/admin";
import { IotAdminError, type IotBackend } from "./iot/backend";
import { checkLocalRequest } from "./guard";
import type { RequestStats } from "./stats";

/** Prefix of every emulator-only route. */
export const ADMIN_PREFIX = "/_emulator/";

/** What the admin routes can reach. */
export interface AdminContext {
  backend: ImportExportBackend;
  /** The IoT Jobs control plane's state (admin `iot/...` routes, reset). */
  iot: IotBackend;
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

class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
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

/** A percent-encoded path segment, decoded; bad encoding (`%E0%A4%A`) is the client's mistake, not a 500. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AdminError(400, `The path segment ${JSON.stringify(segment.slice(0, 64))} is not valid percent-encoding (UTF-8, %XX).`);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function parseJsonBody(body: string): unknown {
  if (body.trim().length === 0) return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new AdminError(400, "The request body is not valid JSON.");
  }
}

/**
 * Serves `/_emulator/...`: health, reset, jobs, stats, job advance, faults, clock and the dashboard (`ui`), all behind
 * the loopback guard (emulator/guard.ts: socket, Host, Origin, JSON content type), and the artifact/label PDFs whose
 * URLs the API hands out (any address, like the pre-signed URLs they stand for).
 */
export function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string, body: string, rawQuery = ""): void {
  try {
    const route = path.slice(ADMIN_PREFIX.length);
    const method = req.method ?? "GET";
    const pdf = /^(artifacts\/([1-9A-NP-Z]{5})\/shipping-instructions|labels\/([1-9A-NP-Z]{5}(?:-[1-9A-NP-Z]{5})*))\.pdf$/i.exec(route);
    if (pdf !== null && method === "GET") return servePdf(ctx, res, pdf[2], pdf[3]);
    const refusal = checkLocalRequest(req, { boundHost: hostOf(ctx.endpoint()) });
    if (refusal !== undefined) throw new AdminError(refusal.status, refusal.message);
    if (handleDashboard(ctx, method, route, res, new URLSearchParams(rawQuery))) return;
    if (route.startsWith("iot/")) {
      const answer = handleIotAdmin(ctx.iot, method, route.slice("iot/".length), body);
      if (answer !== undefined) return sendJson(res, answer.status, answer.value);
    }
    const advance = /^jobs\/([^/]+)\/advance$/.exec(route);
    if (advance !== null && method === "POST") {
      const input = parseJsonBody(body);
      if (input === null || typeof input !== "object" || Array.isArray(input)) throw new AdminError(400, "Body must be a JSON object.");
      const change: StateChange = {};
      const raw = input as Record<string, unknown>;
      for (const key of ["progressCode", "locationCode", "carrier", "trackingNumber"] as const) {
        const v = raw[key];
        if (v === undefined) continue;
        if (typeof v !== "string") throw new AdminError(400, `${key} must be a string.`);
        change[key] = v;
      }
      if (raw["errorCount"] !== undefined) {
        if (typeof raw["errorCount"] !== "number") throw new AdminError(400, "errorCount must be a number.");
        change.errorCount = raw["errorCount"];
      }
      const jobId = decodePathSegment(advance[1] ?? "");
      if (ctx.backend.findJob(jobId) === undefined) throw new AdminError(404, `No job ${jobId}.`);
      const job = ctx.backend.advance(jobId, change);
      return sendJson(res, 200, {
        jobId: job.jobId,
        locationCode: job.locationCode,
        progressCode: job.progressCode,
        isCanceled: job.isCanceled,
        carrier: job.carrier,
        trackingNumber: job.trackingNumber,
        logBucket: job.logBucket,
        logKey: job.logKey,
        errorCount: job.errorCount,
      });
    }
    switch (`${method} ${route}`) {
      case "GET health":
        return sendJson(res, 200, { status: "ok", uptimeMs: Date.now() - ctx.startedAt, jobs: ctx.backend.jobCount() });
      case "POST reset":
        ctx.backend.reset();
        ctx.iot.reset();
        ctx.faults.clear();
        ctx.stats.reset();
        ctx.resetClock();
        ctx.changes.bump();
        return sendJson(res, 200, { reset: true });
      case "GET jobs":
        return sendJson(res, 200, { jobs: ctx.backend.adminJobs() });
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
    throw new AdminError(404, `No admin route ${method} ${path}.`);
  } catch (e) {
    if (e instanceof AdminError) return sendJson(res, e.status, { error: e.message });
    if (e instanceof IotAdminError) return sendJson(res, e.status, { error: e.message });
    if (e instanceof FaultRuleError) return sendJson(res, 400, { error: e.message });
    if (e instanceof DashboardQueryError) return sendJson(res, 400, { error: e.message });
    if (e instanceof LifecycleError) return sendJson(res, 409, { error: e.message });
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

function servePdf(ctx: AdminContext, res: ServerResponse, artifactJobId: string | undefined, labelIds: string | undefined): void {
  const ids = (artifactJobId ?? labelIds ?? "").toUpperCase().split("-");
  const jobs = ids.map((id) => ctx.backend.findJob(id));
  if (jobs.some((j) => j === undefined)) throw new AdminError(404, "No such artifact.");
  const title = artifactJobId !== undefined ? "AWS Import/Export - shipping instructions" : "AWS Import/Export - prepaid shipping label";
  const lines = jobs.flatMap((job) =>
    job === undefined ? [] : [`JOBID ${job.jobId}  (${job.jobType})`, ...awsShippingAddress(job.jobId, job.region).split("\n").map((l) => `  ${l}`), ""],
  );
  lines.push("Generated by the local Import/Export emulator; not a real shipping document.");
  const pdf = renderPdf(title, lines);
  res.writeHead(200, { "Content-Type": "application/pdf", "Content-Length": pdf.length });
  res.end(pdf);
}
