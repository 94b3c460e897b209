/**
 * The emulator dashboard (`GET /_emulator/ui`): a static page plus the two read routes it uses, a redacted state
 * snapshot (`ui/state`, one page of each kind of job) and a server-sent-events stream (`ui/events`) that says when
 * to fetch it again. Every button on the page calls the ordinary admin API; this module changes nothing itself. The
 * admin router runs the loopback guard (emulator/guard.ts) before any of these routes.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { redactManifest } from "../provider/importexport/inputs";
import { locationCodes, operationNames, progressCodes } from "../sdk/model";
import { Redactor } from "../sdk/redact";
import type { ImportExportBackend } from "./backend";
import type { AccountDirectory } from "./accounts";
import type { JobRecord } from "./backend/job";
import type { IotJobRecord } from "./iot/records";
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
  /** The IoT Jobs control plane: its live jobs and the admin view of one (with executions). */
  iot: { liveJobs(): IotJobRecord[]; adminView(job: IotJobRecord): Record<string, unknown> };
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

/**
 * Jobs of one kind per state answer. The state is built while the API waits (one event loop), so its cost must not
 * grow with the number of jobs: a page of them is parsed, redacted and sent, and the page asks for the others.
 */
export const STATE_PAGE_SIZE = 100;

/** A state request the page could not have made (a page number that is not one); 400 with this message. */
export class DashboardQueryError extends Error {
  override readonly name = "DashboardQueryError";
}

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

/**
 * Serves `GET ui`, `GET ui/<asset>`, `GET ui/state[?importExport=<page>&iot=<page>]` and `GET ui/events` (and HEAD of
 * each); false for any other route.
 * @throws DashboardQueryError when a page number in the state query is not a whole number from 0.
 */
export function handleDashboard(ctx: DashboardContext, method: string, route: string, res: ServerResponse, query = new URLSearchParams()): boolean {
  // HEAD answers like GET without a body (Node's response drops the body of a HEAD request itself).
  if ((method !== "GET" && method !== "HEAD") || (route !== DASHBOARD_ROUTE && !route.startsWith(`${DASHBOARD_ROUTE}/`))) return false;
  const rest = route === DASHBOARD_ROUTE ? "index.html" : route.slice(DASHBOARD_ROUTE.length + 1);
  if (rest === "state") {
    send(res, 200, "application/json", JSON.stringify(dashboardState(ctx, requestedPages(query))));
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

/**
 * Each job's manifest as the page shows it, kept per job record while the record's manifest text stays the same:
 * parsing the YAML is most of what a page of the state costs, and the page asks for the same jobs after every change.
 */
const shownManifests = new WeakMap<JobRecord, { manifest: string; shown: string }>();

/** The job's manifest with device passwords redacted (or a note when it cannot be parsed). */
function shownManifest(job: JobRecord): string {
  const kept = shownManifests.get(job);
  if (kept !== undefined && kept.manifest === job.manifest) return kept.shown;
  let shown: string;
  try {
    shown = redactManifest(job.manifest);
  } catch {
    shown = "(the stored manifest could not be parsed, so it is not shown)";
  }
  shownManifests.set(job, { manifest: job.manifest, shown });
  return shown;
}

/** One Import/Export job as the page shows it: no Signature, manifest with device passwords redacted. */
function jobView(backend: ImportExportBackend, job: JobRecord): Record<string, unknown> {
  const manifest = shownManifest(job);
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

/** Every string in `value` redacted (a secret pasted into a manifest field must not show either). */
function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === "string") return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)]));
  }
  return value;
}

/** The kinds of job the state pages through, by their key in `jobKinds` (and in the state query). */
const JOB_KINDS = ["importExport", "iot"] as const;
type JobKind = (typeof JOB_KINDS)[number];

/** Which page of each kind of job a state request asks for (0, the newest, when it names none). */
export type StatePages = Record<JobKind, number>;

function requestedPages(query: URLSearchParams): StatePages {
  const pages: StatePages = { importExport: 0, iot: 0 };
  for (const kind of JOB_KINDS) {
    const values = query.getAll(kind);
    if (values.length === 0) continue;
    const value = values[0] ?? "";
    if (values.length > 1 || !/^\d{1,9}$/.test(value)) {
      throw new DashboardQueryError(`The state query parameter ${kind} must be one page number (a whole number from 0); got ${JSON.stringify(values.join(",").slice(0, 40))}.`);
    }
    pages[kind] = Number(value);
  }
  return pages;
}

/** Where a page of one kind of job is: its number (the one asked for, or the last one), size, and the totals. */
export interface PageInfo {
  page: number;
  pageSize: number;
  /** Jobs of this kind in all. */
  total: number;
  /** Jobs of this kind per account id (accounts without any are left out). */
  perAccount: Record<string, number>;
}

/** One page of `all`, in order: the page asked for, or the last one when there are fewer (jobs were removed). */
function pageOf<T>(all: readonly T[], asked: number, accountOf: (job: T) => string): { jobs: T[]; info: PageInfo } {
  const counts = new Map<string, number>();
  for (const job of all) {
    const account = accountOf(job);
    counts.set(account, (counts.get(account) ?? 0) + 1);
  }
  const page = Math.min(asked, Math.max(0, Math.ceil(all.length / STATE_PAGE_SIZE) - 1));
  const jobs = all.slice(page * STATE_PAGE_SIZE, (page + 1) * STATE_PAGE_SIZE);
  return { jobs, info: { page, pageSize: STATE_PAGE_SIZE, total: all.length, perAccount: Object.fromEntries(counts) } };
}

/** The redactor of the last state, per emulator (its backend), and the secrets it holds. */
const redactors = new WeakMap<ImportExportBackend, { redactor: Redactor; secrets: Set<string> }>();

/**
 * A redactor holding every one of `secrets`: the last state's when it still holds them all (indexing 10,000
 * signatures costs more than redacting a page), else a new one. A kept redactor may also hold signatures of jobs
 * since removed, which can only redact more; it is replaced once those are as many as the live ones.
 */
function redactorFor(ctx: DashboardContext, secrets: readonly string[]): Redactor {
  const kept = redactors.get(ctx.backend);
  if (kept !== undefined && kept.secrets.size <= 2 * secrets.length && secrets.every((s) => kept.secrets.has(s))) return kept.redactor;
  const fresh = { redactor: new Redactor(secrets), secrets: new Set(secrets) };
  redactors.set(ctx.backend, fresh);
  return fresh.redactor;
}

/**
 * The page's state: one page of each kind of job (`pages` says which, and how many there are), in the admin API's
 * order (Import/Export jobs newest first). `jobKinds` maps a kind of job (Import/Export, IoT) to its page; a further control plane is one more entry here
 * plus one renderer in dashboard.js. Only the jobs on the page are viewed (a manifest parse each) and redacted; the
 * redactor holds every job's signature but looks up the few a text could hold, so a page costs the same at 100 jobs
 * as at 10,000, bar a count and an index of the signatures.
 */
export function dashboardState(ctx: DashboardContext, asked: StatePages = { importExport: 0, iot: 0 }): Record<string, unknown> {
  const jobs = ctx.backend.jobRecords();
  const redactor = redactorFor(ctx, [...ctx.accounts.accounts.flatMap((a) => [a.secretAccessKey, a.sessionToken ?? ""]), ...jobs.map((j) => j.signature)]);
  const importExport = pageOf(jobs, asked.importExport, (j) => j.accountId);
  const iot = pageOf(ctx.iot.liveJobs(), asked.iot, (j) => j.scope.accountId);
  return {
    version: ctx.changes.version,
    endpoint: ctx.endpoint(),
    accounts: ctx.accounts.accounts.map((a) => ({ accountId: a.accountId, accessKeyId: a.accessKeyId })),
    jobKinds: redactDeep(
      { importExport: importExport.jobs.map((j) => jobView(ctx.backend, j)), iot: iot.jobs.map((j) => ctx.iot.adminView(j)) },
      redactor,
    ),
    pages: { importExport: importExport.info, iot: iot.info },
    faults: redactDeep(ctx.faults.list(), redactor),
    choices: { progressCodes, locationCodes, actions: operationNames, faultKinds: FAULT_KINDS },
  };
}
