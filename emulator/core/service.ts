/**
 * What an emulated service is to the core: the server routes each request to the first registered service that
 * `matches` it, the admin router and the dashboard read each one's optional `admin` and `dashboard` parts. The list
 * itself is emulator/services.ts (one line per service); nothing in the core names a service.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { AccountDirectory } from "./accounts";
import type { ChangeFeed } from "./changes";
import type { FaultInjector } from "./faults";
import type { EmulatorLogger } from "./log";
import type { RequestStats } from "./stats";

/** One API request as the server has read it. */
export interface EmulatorRequest {
  requestId: string;
  /** Epoch ms when it arrived (for the log's `ms`). */
  started: number;
  method: string;
  /** The URL path, without the query string. */
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The body; empty while matching a request whose body was refused as too large. */
  rawBody: Buffer;
  /** The Node request (its socket is what a fault drops). */
  req: IncomingMessage;
}

/** An answer the server gives for a service without running it, in the service's protocol. */
export type ServerRefusal = "body-too-large" | "internal-error";

/** One emulated AWS service as the server sees it. */
export interface EmulatedService {
  /** Short name: the admin route prefix (`iot/…`) and the dashboard's kind of job, when it has them. */
  readonly name: string;
  /** True when the request is this service's (credential scope, path, action). Asked in registry order. */
  matches(request: EmulatorRequest): boolean;
  /** Answers every request no other service claims (at most one service; asked after all the others). */
  readonly fallback?: boolean;
  /** Serves the request; answers every client mistake itself, in its protocol. */
  handle(request: EmulatorRequest, res: ServerResponse): Promise<void>;
  /** Answers a request the server refused (too large) or a bug escaped `handle`, in the service's envelope. */
  sendError(res: ServerResponse, refusal: ServerRefusal, requestId: string): void;
  /** Its admin routes, reset and health counts. */
  readonly admin?: ServiceAdmin;
  /** Its jobs on the dashboard. */
  readonly dashboard?: ServiceDashboard;
  /** Closes its store (the emulator is stopping). */
  close(): void;
}

/** An admin answer: HTTP status and JSON value. */
export interface AdminAnswer {
  status: number;
  value: unknown;
}

/** A refused admin call: the status and a message naming what is wrong (answered as `{"error": message}`). */
export class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "AdminError";
  }
}

/** A service's part of the admin API under `/_emulator/`. */
export interface ServiceAdmin {
  /** Prefix of its routes after `/_emulator/`: `iot/` for IoT, "" for Import/Export's original top-level routes. */
  readonly prefix: string;
  /**
   * Serves a route that needs no loopback guard (the stand-ins for pre-signed URLs the API hands out); false
   * when `route` is not one. Runs before the guard, so it must only ever read.
   */
  serveUnguarded?(method: string, route: string, res: ServerResponse): boolean;
  /** Answers a guarded route (without the prefix), or undefined when it is not one of its routes. Throws {@link AdminError}. */
  route(method: string, route: string, body: string): AdminAnswer | undefined;
  /** Forgets all its state (admin `POST reset`). */
  reset(): void;
  /** Members it adds to `GET health` (e.g. `{jobs: 3}`). */
  health?(): Record<string, unknown>;
}

/**
 * A service's jobs on the dashboard page (emulator/ui). The state shows one page of them at a time, so `jobs` is the
 * cheap list (records, in the page's order) and only the jobs on the page go through `view`.
 */
export interface ServiceDashboard<J = unknown> {
  /** Key of its list in the page state's `jobKinds` and its page in the state query (the page renders it with the kind script of that id). */
  readonly kind: string;
  /** Heading on the page. */
  readonly title: string;
  /** Its page script (a file in the service's folder, e.g. `ui/jobs.js`), which registers the kind's renderer; none = a plain table. */
  readonly script?: string;
  /** Every job, in the order the page lists them. */
  jobs(): readonly J[];
  /** The account a job belongs to (the page groups by account). */
  accountOf(job: J): string;
  /** One job as the page shows it (the core then redacts account secrets and `secrets()` from it). */
  view(job: J): Record<string, unknown>;
  /** Further values the page must never show (e.g. job signatures). */
  secrets?(): string[];
  /** Values its controls offer, merged into the page state's `choices`. */
  choices?(): Record<string, readonly string[]>;
  /** Operation names the page's fault form offers. */
  faultActions?(): readonly string[];
}

/** What every service is built from: the emulator's shared parts. */
export interface ServiceEnv {
  accounts: AccountDirectory;
  faults: FaultInjector;
  stats: RequestStats;
  logger: EmulatorLogger;
  changes: ChangeFeed;
  /** Current emulator time (epoch ms), including any admin clock offset. */
  now: () => number;
  /** Wall clock for signature time checks (ignores the admin clock offset). */
  signingNow: () => number;
  /** Verify request signatures. */
  verifySignatures: boolean;
  /** The emulator's base URL (known once it listens). */
  endpoint: () => string;
  /** Directory of the durable journals; undefined = in memory. */
  dataDir: string | undefined;
}

/** Builds a service from the shared parts and the emulator's options (a registry entry, emulator/services.ts). */
export type ServiceFactory<O> = (env: ServiceEnv, options: O) => EmulatedService;

/** Drops the TCP connection without an HTTP response (RST where the platform allows). */
export function dropConnection(socket: Socket): void {
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (typeof withReset.resetAndDestroy === "function") withReset.resetAndDestroy();
  else socket.destroy();
}
