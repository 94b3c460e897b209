/**
 * Test helper for ANY suite: starts an in-process Import/Export emulator on a random loopback port and gives
 * typed access to its admin API (plain `fetch`).
 *
 * ```ts
 * const emu = await startTestEmulator();
 * try { ...; await emu.admin.advance(jobId); ... } finally { await emu.close(); }
 * // or, in a describe block:  const emu = withEmulator();  then emu().endpoint inside tests
 * ```
 *
 * Fault rule JSON shape (see docs/emulator.md):
 * `{ action: "CreateJob" | "*", kind: "error" | "throttle" | "reset-before" | "drop-after" | "latency",
 *    count?: number, probability?: number, seed?: number, status?: number, code?: string, message?: string,
 *    latencyMs?: number }`
 * - `error`: answer with `status` (default: the code's, else 500) and Query error `code` (default InternalFailure).
 * - `throttle`: answer `Throttling` (400) unless `code`/`status` say otherwise.
 * - `reset-before`: drop the connection before processing (nothing happened).
 * - `drop-after`: process the call (e.g. the job IS created) and drop the connection without a response.
 * - `latency`: wait `latencyMs` before processing.
 * `count` = the next N matching calls; `probability` with `seed` = a reproducible coin toss; neither = every call.
 */
import { afterAll, beforeAll } from "vitest";
import { startEmulator, type Account, type EmulatorOptions, type FaultRule, type RunningEmulator } from "../../emulator";

export type { Account, FaultRule };

/** A job as admin `GET /_emulator/jobs` lists it (no Signature/manifest). */
export interface AdminJob {
  jobId: string;
  accountId: string;
  jobType: "Import" | "Export";
  locationCode: string;
  progressCode: string;
  isCanceled: boolean;
  createdAt: number;
  creationDate: string;
  errorCount: number;
  carrier?: string;
  trackingNumber?: string;
  logBucket?: string;
  logKey?: string;
  [field: string]: unknown;
}

/** Admin `GET /_emulator/stats`. */
export interface EmulatorStats {
  total: number;
  byAction: Record<string, number>;
  faultsInjected: number;
}

/** Typed admin API of one emulator. */
export interface EmulatorAdmin {
  /** Next lifecycle step (`{}`), or an explicit state such as `{ progressCode: "InProgress", locationCode: "AtAWS" }`. */
  advance(jobId: string, body?: { progressCode?: string; locationCode?: string; errorCount?: number; carrier?: string; trackingNumber?: string }): Promise<AdminJob>;
  stats(): Promise<EmulatorStats>;
  /** Forgets jobs, fault rules and stats. */
  reset(): Promise<void>;
  setFaults(rules: FaultRule | FaultRule[]): Promise<void>;
  clearFaults(): Promise<void>;
  jobs(): Promise<AdminJob[]>;
  /** Moves the emulator's clock forward (expiry, time-based progression). */
  advanceClock(ms: number): Promise<void>;
  health(): Promise<{ status: string }>;
}

/** A running test emulator plus admin helpers. */
export interface TestEmulator extends RunningEmulator {
  admin: EmulatorAdmin;
  /** The first account (alice by default): `{ accessKeyId, secretAccessKey, ... }`. */
  account: Account;
  /** The second account, for cross-account tests. */
  otherAccount: Account;
}

async function call<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  // The emulator refuses state-changing admin calls without a JSON content type (cross-site form protection).
  if (method !== "GET") {
    init.body = JSON.stringify(body ?? {});
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetch(`${endpoint}/_emulator/${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator admin ${method} ${path}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Admin helpers for an emulator at `endpoint` (in-process or spawned). */
export function emulatorAdmin(endpoint: string): EmulatorAdmin {
  return {
    advance: (jobId, body = {}) => call<AdminJob>(endpoint, "POST", `jobs/${encodeURIComponent(jobId)}/advance`, body),
    stats: () => call<EmulatorStats>(endpoint, "GET", "stats"),
    reset: async () => {
      await call(endpoint, "POST", "reset");
    },
    setFaults: async (rules) => {
      await call(endpoint, "POST", "faults", Array.isArray(rules) ? rules : [rules]);
    },
    clearFaults: async () => {
      await call(endpoint, "DELETE", "faults");
    },
    jobs: async () => (await call<{ jobs: AdminJob[] }>(endpoint, "GET", "jobs")).jobs,
    advanceClock: async (ms) => {
      await call(endpoint, "POST", "clock", { advanceMs: ms });
    },
    health: () => call<{ status: string }>(endpoint, "GET", "health"),
  };
}

/** Starts an in-process emulator on a random port (options as `startEmulator`). Call `close()` when done. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  const [account, otherAccount] = emulator.accounts;
  if (account === undefined || otherAccount === undefined) throw new Error("the test emulator needs at least two accounts");
  return { ...emulator, admin: emulatorAdmin(emulator.endpoint), account, otherAccount };
}

/**
 * Registers beforeAll/afterAll hooks that run one emulator for the enclosing describe block; returns a getter.
 */
export function withEmulator(options: EmulatorOptions = {}): () => TestEmulator {
  let emulator: TestEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (emulator === undefined) throw new Error("withEmulator(): the emulator is only available inside tests");
    return emulator;
  };
}
