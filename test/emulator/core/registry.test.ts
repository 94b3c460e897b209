/**
 * The registry of services, from the core's side: a third service the core has never heard of (built here from
 * nothing but the `EmulatedService` shape) gets its requests, its refusals in its own envelope, its admin routes
 * under its prefix, its part of `reset` and `health`, and its jobs on the dashboard state, with account secrets
 * redacted, over a real HTTP server. And the real emulator serves each registered service's page script.
 */
import type { AddressInfo } from "node:net";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { AccountDirectory, DEFAULT_ACCOUNTS } from "../../../emulator/core/accounts";
import { handleAdmin, type AdminContext } from "../../../emulator/core/admin";
import { ChangeFeed } from "../../../emulator/core/changes";
import { FaultInjector } from "../../../emulator/core/faults";
import { createEmulatorServer } from "../../../emulator/core/server";
import { AdminError, type EmulatedService, type ServerRefusal } from "../../../emulator/core/service";
import { RequestStats } from "../../../emulator/core/stats";
import { SERVICES } from "../../../emulator/services";

/** A toy service on `/echo/…`: answers the path as JSON, counts what it served, keeps one job per account. */
function echoService(secret: string): EmulatedService & { refusals: ServerRefusal[]; resets: number } {
  let served = 0;
  const service = {
    refusals: [] as ServerRefusal[],
    resets: 0,
    name: "echo",
    matches: (request: { path: string }) => request.path.startsWith("/echo/"),
    async handle(request: { path: string; rawBody: Buffer }, res: ServerResponse) {
      if (request.path === "/echo/bug") throw new Error("a bug in the echo service");
      served++;
      const body = JSON.stringify({ echo: request.path, bytes: request.rawBody.length });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    },
    sendError(res: ServerResponse, refusal: ServerRefusal) {
      service.refusals.push(refusal);
      res.writeHead(refusal === "body-too-large" ? 413 : 500, { "Content-Type": "application/x-echo-error", Connection: "close" });
      res.end(refusal);
    },
    admin: {
      prefix: "echo/",
      route(method: string, route: string) {
        if (method === "GET" && route === "served") return { status: 200, value: { served } };
        if (method === "GET" && route === "teapot") throw new AdminError(418, "The echo service is a teapot.");
        return undefined;
      },
      reset() {
        served = 0;
        service.resets++;
      },
      health: () => ({ echoes: served }),
    },
    dashboard: {
      kind: "echo",
      title: "Echo jobs",
      jobs: () => [{ jobId: "E1", accountId: DEFAULT_ACCOUNTS[0]?.accountId ?? "", note: `pasted ${secret} by mistake`, served }],
      accountOf: (job: { accountId: string }) => job.accountId,
      view: (job: Record<string, unknown>) => job,
    },
    close() {},
  };
  return service;
}

describe("a service the core has never heard of, registered beside nothing else", () => {
  const account = DEFAULT_ACCOUNTS[0];
  if (account === undefined) throw new Error("no default account");
  const echo = echoService(account.secretAccessKey);
  let base = "";
  const server = (() => {
    const ctx: AdminContext = {
      services: [echo],
      faults: new FaultInjector(),
      stats: new RequestStats(),
      accounts: new AccountDirectory(DEFAULT_ACCOUNTS),
      now: Date.now,
      advanceClock: () => {},
      resetClock: () => {},
      startedAt: Date.now(),
      changes: new ChangeFeed(),
      endpoint: () => base,
    };
    return createEmulatorServer({ services: [echo], logger: () => {}, admin: (req, res, path, body) => handleAdmin(ctx, req, res, path, body) });
  })();

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const json = { "content-type": "application/json" };

  it("gets its requests; a request no service claims gets a Query error, not a crash", async () => {
    const res = await fetch(`${base}/echo/hello`, { method: "POST", body: "abc" });
    expect([res.status, await res.json()]).toEqual([200, { echo: "/echo/hello", bytes: 3 }]);
    const other = await fetch(`${base}/`, { method: "POST", body: "Action=GetStatus" });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("<Code>InvalidAction</Code>");
  });

  it("answers a body over the limit and a bug in its own envelope, and keeps serving", async () => {
    const big = await fetch(`${base}/echo/big`, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    expect([big.status, big.headers.get("content-type"), await big.text()]).toEqual([413, "application/x-echo-error", "body-too-large"]);
    const bug = await fetch(`${base}/echo/bug`);
    expect([bug.status, await bug.text()]).toEqual([500, "internal-error"]);
    expect(echo.refusals).toEqual(["body-too-large", "internal-error"]);
    expect((await fetch(`${base}/echo/again`)).status).toBe(200);
  });

  it("its admin routes answer under its prefix; its AdminError is the answer; reset and health include it", async () => {
    const served = await fetch(`${base}/_emulator/echo/served`);
    expect(await served.json()).toEqual({ served: 2 });
    const teapot = await fetch(`${base}/_emulator/echo/teapot`);
    expect([teapot.status, await teapot.json()]).toEqual([418, { error: "The echo service is a teapot." }]);
    expect((await fetch(`${base}/_emulator/served`)).status).toBe(404); // not without its prefix
    expect(await (await fetch(`${base}/_emulator/health`)).json()).toMatchObject({ status: "ok", echoes: 2 });
    expect((await fetch(`${base}/_emulator/reset`, { method: "POST", headers: json, body: "{}" })).status).toBe(200);
    expect(echo.resets).toBe(1);
    expect(await (await fetch(`${base}/_emulator/echo/served`)).json()).toEqual({ served: 0 });
  });

  it("its jobs are on the dashboard state under its kind, with account secrets redacted", async () => {
    const state = (await (await fetch(`${base}/_emulator/ui/state`)).json()) as { kinds: unknown; jobKinds: Record<string, { note: string }[]> };
    expect(state.kinds).toEqual([{ id: "echo", title: "Echo jobs" }]);
    expect(state.jobKinds["echo"]?.[0]?.note).toBe("pasted *** by mistake");
    expect(JSON.stringify(state)).not.toContain(account.secretAccessKey);
    // A kind without a page script adds no script tag; the page renders it as a plain table.
    const page = await (await fetch(`${base}/_emulator/ui`)).text();
    expect(page).not.toContain("kinds/");
    expect((await fetch(`${base}/_emulator/ui/kinds/echo.js`)).status).toBe(404);
  });
});

describe("the registry (emulator/services.ts) and the real emulator", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("lists Import/Export, IoT and STS, and the page loads each kind's script from its service folder before dashboard.js", async () => {
    expect(SERVICES).toHaveLength(3);
    const page = await (await fetch(emulator.dashboardUrl)).text();
    const scripts = [...page.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(["/_emulator/ui/kinds/importExport.js", "/_emulator/ui/kinds/iot.js", "/_emulator/ui/dashboard.js"]);
    for (const script of scripts.slice(0, 2)) {
      const res = await fetch(`${emulator.endpoint}${script}`);
      expect([res.status, res.headers.get("content-type")]).toEqual([200, "text/javascript; charset=utf-8"]);
      expect(await res.text()).toContain("dashboardKinds");
    }
    const state = (await (await fetch(`${emulator.dashboardUrl}/state`)).json()) as { kinds: unknown };
    expect(state.kinds).toEqual([
      { id: "importExport", title: "Import/Export jobs" },
      { id: "iot", title: "IoT jobs" },
    ]);
  });
});
