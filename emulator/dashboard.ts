/**
 * The emulator dashboard (`GET /_emulator/ui`): a static page plus the two read routes it uses, a redacted state
 * snapshot (`ui/state`) and a server-sent-events stream (`ui/events`) that says when to fetch it again. Every
 * button on the page calls the ordinary admin API; this module changes nothing itself. The admin router runs the
 * loopback guard (emulator/guard.ts) before any of these routes.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { redactManifest } from "../provider/importexport/inputs";
import { locationCodes, operationNames, progressCodes } from "../sdk/model";
import { redactSecrets } from "../sdk/errors";
import type { ImportExportBackend } from "./backend";
import type { AccountDirectory } from "./accounts";
import type { JobRecord } from "./backend/job";
import type { ChangeFeed } from "./changes";
import { FAULT_KINDS, type FaultInjector } from "./faults";

/** Route of the page, relative to the admin prefix. */
export const DASHBOARD_ROUTE = "ui";

/** What the dashboard reads. */
export interface DashboardContext {
  backend: ImportExportBackend;
  faults: FaultInjector;
  accounts: AccountDirectory;
  changes: ChangeFeed;
  /** The IoT Jobs control plane: its admin view of every job (with executions). */
  iot: { adminJobs(): Record<string, unknown>[] };
  /** The emulator's base URL (shown on the page). */
  endpoint: () => string;
}

/** Static files of the page: name → content type. Read from `ui/` next to this module (copied to dist by setup). */
const ASSETS: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "dashboard.css": "text/css; charset=utf-8",
  "dashboard.js": "text/javascript; charset=utf-8",
};

/**
 * Headers of every dashboard answer. The CSP allows only this origin's own script, style and fetches (no inline
 * script, so injected markup cannot run); frame-ancestors/X-Frame-Options stop another site framing the buttons.
 */
const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

/** Seconds between SSE comments, so idle proxies and socket timeouts never see a silent stream. */
const HEARTBEAT_MS = 15_000;

const assetCache = new Map<string, Buffer>();

function asset(name: string): Buffer | undefined {
  let body = assetCache.get(name);
  if (body === undefined) {
    try {
      body = readFileSync(join(__dirname, "ui", name));
    } catch {
      return undefined;
    }
    assetCache.set(name, body);
  }
  return body;
}

/** Serves `GET ui`, `GET ui/<asset>`, `GET ui/state` and `GET ui/events` (and HEAD of each); false for any other route. */
export function handleDashboard(ctx: DashboardContext, method: string, route: string, res: ServerResponse): boolean {
  // HEAD answers like GET without a body (Node's response drops the body of a HEAD request itself).
  if ((method !== "GET" && method !== "HEAD") || (route !== DASHBOARD_ROUTE && !route.startsWith(`${DASHBOARD_ROUTE}/`))) return false;
  const rest = route === DASHBOARD_ROUTE ? "index.html" : route.slice(DASHBOARD_ROUTE.length + 1);
  if (rest === "state") {
    send(res, 200, "application/json", JSON.stringify(dashboardState(ctx)));
    return true;
  }
  if (rest === "events") {
    if (method === "HEAD") {
      res.writeHead(200, { ...PAGE_HEADERS, "Content-Type": "text/event-stream; charset=utf-8" });
      res.end();
      return true;
    }
    streamChanges(ctx.changes, res);
    return true;
  }
  const type = ASSETS[rest === "" ? "index.html" : rest];
  if (type === undefined) return false;
  const body = asset(rest === "" ? "index.html" : rest);
  if (body === undefined) {
    send(res, 500, "application/json", JSON.stringify({ error: `Dashboard file ${rest} is missing next to ${__dirname}; run node scripts/setup.mjs to copy it.` }));
    return true;
  }
  send(res, 200, type, body);
  return true;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...PAGE_HEADERS, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Live updates by server-sent events rather than polling: one idle connection per open page, an update within a
 * tick of the change instead of up to a poll interval later, and no request stream while nothing happens.
 * EventSource reconnects by itself (`retry`), and the page refetches the state on every (re)connect, so a missed
 * event cannot leave it stale. Events carry only the change counter, never job data.
 */
function streamChanges(changes: ChangeFeed, res: ServerResponse): void {
  res.writeHead(200, { ...PAGE_HEADERS, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
  const event = (version: number): string => `event: change\ndata: {"version":${version}}\n\n`;
  res.write(`retry: 1000\n\n${event(changes.version)}`);
  const unsubscribe = changes.subscribe((version) => res.write(event(version)));
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  res.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

/** One Import/Export job as the page shows it: no Signature, manifest with device passwords redacted. */
function jobView(backend: ImportExportBackend, job: JobRecord): Record<string, unknown> {
  let manifest: string;
  try {
    manifest = redactManifest(job.manifest);
  } catch {
    manifest = "(the stored manifest could not be parsed, so it is not shown)";
  }
  return {
    jobId: job.jobId,
    accountId: job.accountId,
    jobType: job.jobType,
    locationCode: job.locationCode,
    progressCode: job.progressCode,
    isCanceled: job.isCanceled,
    creationDate: new Date(job.createdAt).toISOString(),
    errorCount: job.errorCount,
    carrier: job.carrier,
    trackingNumber: job.trackingNumber,
    logBucket: job.logBucket,
    logKey: job.logKey,
    region: job.region,
    manifest,
    history: (job.history ?? []).map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
    artifacts: backend.artifacts(job).map((a) => ({ description: a.Description, url: a.URL })),
  };
}

/** Every string in `value` with `secrets` replaced (a secret pasted into a manifest field must not show either). */
function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  }
  return value;
}

/**
 * The page's whole state. `jobKinds` maps a kind of job (Import/Export, IoT) to its list; a further control plane
 * is one more entry here plus one renderer in dashboard.js.
 */
export function dashboardState(ctx: DashboardContext): Record<string, unknown> {
  const jobs = ctx.backend.jobRecords();
  const secrets = [
    ...ctx.accounts.accounts.flatMap((a) => [a.secretAccessKey, a.sessionToken ?? ""]),
    ...jobs.map((j) => j.signature),
  ];
  return {
    version: ctx.changes.version,
    endpoint: ctx.endpoint(),
    accounts: ctx.accounts.accounts.map((a) => ({ accountId: a.accountId, accessKeyId: a.accessKeyId })),
    jobKinds: redactDeep({ importExport: jobs.map((j) => jobView(ctx.backend, j)), iot: ctx.iot.adminJobs() }, secrets),
    faults: redactDeep(ctx.faults.list(), secrets),
    choices: { progressCodes, locationCodes, actions: operationNames, faultKinds: FAULT_KINDS },
  };
}
