/**
 * The emulator dashboard (`GET /_emulator/ui`): a static page plus the two read routes it uses, a redacted state
 * snapshot (`ui/state`, one page of each kind of job) and a server-sent-events stream (`ui/events`) that says when
 * to fetch it again. Every button on the page calls the ordinary admin API; this module changes nothing itself. The admin router runs the
 * loopback guard (./guard.ts) before any of these routes. Each registered service with a `dashboard` part adds its
 * kind of job: its list in the state and its renderer script (`ui/kinds/<kind>.js`, from the service's folder).
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { Redactor } from "../../sdk/redact";
import type { AccountDirectory } from "./accounts";
import type { ChangeFeed } from "./changes";
import { FAULT_KINDS, type FaultInjector } from "./faults";
import type { EmulatedService, ServiceDashboard } from "./service";

/** Route of the page, relative to the admin prefix. */
export const DASHBOARD_ROUTE = "ui";

/** What the dashboard reads. */
export interface DashboardContext {
  /** The registered services; those with a `dashboard` part are on the page. */
  services: readonly EmulatedService[];
  faults: FaultInjector;
  accounts: AccountDirectory;
  changes: ChangeFeed;
  /** The emulator's base URL (shown on the page). */
  endpoint: () => string;
}

/** Static files of the page: name → content type. Read from emulator/ui/ (copied to dist by setup). */
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

/** The page's folder, emulator/ui (beside this module's folder, in the sources and in dist alike). */
const UI_DIR = join(__dirname, "..", "ui");

const assetCache = new Map<string, Buffer>();

function asset(file: string): Buffer | undefined {
  let body = assetCache.get(file);
  if (body === undefined) {
    try {
      body = readFileSync(file);
    } catch {
      return undefined;
    }
    assetCache.set(file, body);
  }
  return body;
}

/**
 * Serves `GET ui`, `GET ui/<asset>`, `GET ui/kinds/<kind>.js`, `GET ui/state[?<kind>=<page>…]` and `GET ui/events`
 * (and HEAD of each); false for any other route.
 * @throws DashboardQueryError when a page number in the state query is not a whole number from 0.
 */
export function handleDashboard(ctx: DashboardContext, method: string, route: string, res: ServerResponse, query = new URLSearchParams()): boolean {
  // HEAD answers like GET without a body (Node's response drops the body of a HEAD request itself).
  if ((method !== "GET" && method !== "HEAD") || (route !== DASHBOARD_ROUTE && !route.startsWith(`${DASHBOARD_ROUTE}/`))) return false;
  const rest = route === DASHBOARD_ROUTE ? "index.html" : route.slice(DASHBOARD_ROUTE.length + 1);
  if (rest === "state") {
    send(res, 200, "application/json", JSON.stringify(dashboardState(ctx, requestedPages(ctx, query))));
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
  const kind = /^kinds\/([A-Za-z0-9]+)\.js$/.exec(rest);
  if (kind !== null) {
    const script = dashboards(ctx).find((d) => d.kind === kind[1])?.script;
    return script === undefined ? false : sendAsset(res, script, ASSETS["dashboard.js"] ?? "");
  }
  const name = rest === "" ? "index.html" : rest;
  const type = ASSETS[name];
  if (type === undefined) return false;
  if (name === "index.html") {
    const page = asset(join(UI_DIR, name));
    if (page === undefined) return missing(res, name);
    send(res, 200, type, page.toString("utf8").replace(KIND_SCRIPTS, kindScripts(ctx)));
    return true;
  }
  return sendAsset(res, join(UI_DIR, name), type);
}

/** Where index.html takes the script tags of the kinds of job (before dashboard.js, which renders them). */
const KIND_SCRIPTS = "<!-- kind scripts -->";

/** Script tags of the registered services' renderers. */
function kindScripts(ctx: DashboardContext): string {
  return dashboards(ctx)
    .filter((d) => d.script !== undefined)
    .map((d) => `<script src="/_emulator/ui/kinds/${d.kind}.js" defer></script>`)
    .join("\n  ");
}

function sendAsset(res: ServerResponse, file: string, type: string): boolean {
  const body = asset(file);
  if (body === undefined) return missing(res, file);
  send(res, 200, type, body);
  return true;
}

function missing(res: ServerResponse, file: string): true {
  send(res, 500, "application/json", JSON.stringify({ error: `Dashboard file ${file} is missing; run node scripts/setup.mjs to copy it.` }));
  return true;
}

/** The dashboard parts of the registered services, in registry order. */
function dashboards(ctx: DashboardContext): ServiceDashboard[] {
  return ctx.services.flatMap((s) => (s.dashboard === undefined ? [] : [s.dashboard]));
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

/** Every string in `value` redacted (a secret pasted into a manifest field must not show either). */
function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === "string") return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)]));
  }
  return value;
}

/** Which page of each kind of job a state request asks for, by kind (0, the newest, when it names none). */
export type StatePages = Readonly<Record<string, number>>;

/** The pages a state query names, one per registered kind of job (`?importExport=2&iot=0`); other names are ignored. */
function requestedPages(ctx: DashboardContext, query: URLSearchParams): StatePages {
  const pages: Record<string, number> = {};
  for (const { kind } of dashboards(ctx)) {
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

/** The redactor of the last state, per emulator (its list of services), and the secrets it holds. */
const redactors = new WeakMap<readonly EmulatedService[], { redactor: Redactor; secrets: Set<string> }>();

/**
 * A redactor holding every one of `secrets`: the last state's when it still holds them all (indexing 10,000
 * signatures costs more than redacting a page), else a new one. A kept redactor may also hold signatures of jobs
 * since removed, which can only redact more; it is replaced once those are as many as the live ones.
 */
function redactorFor(ctx: DashboardContext, secrets: readonly string[]): Redactor {
  const kept = redactors.get(ctx.services);
  if (kept !== undefined && kept.secrets.size <= 2 * secrets.length && secrets.every((s) => kept.secrets.has(s))) return kept.redactor;
  const fresh = { redactor: new Redactor(secrets), secrets: new Set(secrets) };
  redactors.set(ctx.services, fresh);
  return fresh.redactor;
}

/**
 * The page's state: `kinds` lists the kinds of job (one per registered service with a dashboard part, in registry
 * order), `jobKinds` holds one page of each (`pages` says which, and how many there are), in each service's order
 * (Import/Export jobs newest first); `choices` merges what the services' controls offer. Only the jobs on the page
 * are viewed (an Import/Export manifest parse each) and redacted; the redactor holds every secret the services name
 * but looks up the few a text could hold, so a page costs the same at 100 jobs as at 10,000, bar a count and an
 * index of the secrets.
 */
export function dashboardState(ctx: DashboardContext, asked: StatePages = {}): Record<string, unknown> {
  const parts = dashboards(ctx);
  const redactor = redactorFor(ctx, [...ctx.accounts.accounts.flatMap((a) => [a.secretAccessKey, a.sessionToken ?? ""]), ...parts.flatMap((d) => d.secrets?.() ?? [])]);
  const paged = parts.map((d) => ({ d, page: pageOf(d.jobs(), asked[d.kind] ?? 0, (job) => d.accountOf(job)) }));
  return {
    version: ctx.changes.version,
    endpoint: ctx.endpoint(),
    accounts: ctx.accounts.accounts.map((a) => ({ accountId: a.accountId, accessKeyId: a.accessKeyId })),
    kinds: parts.map((d) => ({ id: d.kind, title: d.title })),
    jobKinds: redactDeep(Object.fromEntries(paged.map(({ d, page }) => [d.kind, page.jobs.map((job) => d.view(job))])), redactor),
    pages: Object.fromEntries(paged.map(({ d, page }) => [d.kind, page.info])),
    faults: redactDeep(ctx.faults.list(), redactor),
    choices: { ...Object.assign({}, ...parts.map((d) => d.choices?.() ?? {})), actions: parts.flatMap((d) => d.faultActions?.() ?? []), faultKinds: FAULT_KINDS },
  };
}
