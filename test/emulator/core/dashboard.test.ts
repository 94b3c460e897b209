/**
 * The emulator dashboard (`/_emulator/ui`) in a real browser: headless Chromium from Debian's `chromium` package,
 * driven by playwright-core. A job created through the SDK is listed; the page's buttons move it and the SDK's
 * GetStatus sees the move; a fault rule injected from the page hits the next SDK call; no secret reaches the page
 * or anything it fetched; a job created after the page loaded appears without a reload (server-sent events); a
 * rebinding Host and a cross-site page are refused. A screenshot goes to .tmp/dashboard.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, ListJobExecutionsForJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImportExportClient } from "../../../sdk/index";
import { exportManifest, importManifest } from "../../helpers/manifests";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotClient } from "../../helpers/iot";
import { AccountDirectory } from "../../../emulator/core/accounts";
import { handleAdmin, type AdminContext } from "../../../emulator/core/admin";
import { ChangeFeed } from "../../../emulator/core/changes";
import { FaultInjector } from "../../../emulator/core/faults";
import { createEmulatorServer } from "../../../emulator/core/server";
import type { EmulatedService } from "../../../emulator/core/service";
import { RequestStats } from "../../../emulator/core/stats";

const CHROMIUM = "/usr/bin/chromium";
const repoRoot = join(__dirname, "..", "..", "..");
/** A name the browser resolves to 127.0.0.1, as a DNS-rebinding attacker's domain would. */
const REBIND_HOST = "rebind.attacker.test";

let emu: TestEmulator;
let browser: BrowserContext | undefined;
let userDataDir: string | undefined;
let alice: ImportExportClient;
let bob: ImportExportClient;

/** The browser, or (each test, not only the hook, fails with this: nothing is reported as skipped) why there is none. */
function chromiumContext(): BrowserContext {
  if (browser === undefined) {
    throw new Error(`The dashboard tests drive a real Chromium at ${CHROMIUM}, which is missing. Install Debian's package: apt-get update && apt-get install -y chromium (.ci/run does this).`);
  }
  return browser;
}

beforeAll(async () => {
  emu = await startTestEmulator();
  const client = (account: TestEmulator["account"]): ImportExportClient =>
    new ImportExportClient({ endpoint: emu.endpoint, region: emu.region, credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey }, maxAttempts: 1 });
  alice = client(emu.account);
  bob = client(emu.otherAccount);
  if (!existsSync(CHROMIUM)) return;
  userDataDir = mkdtempSync(join(tmpdir(), "ie-dashboard-chromium-"));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
      `--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`,
      // Plain http to the rebinding name must stay plain http (no automatic https upgrade attempt).
      "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  alice?.destroy();
  bob?.destroy();
  await emu?.close();
  if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await emu.admin.reset();
});

/** A page on the dashboard that records the body of every response it received (except the endless SSE stream). */
async function openDashboard(): Promise<{ page: Page; bodies: () => Promise<string[]>; stateFetches: () => number }> {
  const page = await chromiumContext().newPage();
  const pending: Promise<string>[] = [];
  let stateFetches = 0;
  page.on("response", (response) => {
    if (response.url().endsWith("/_emulator/ui/state")) stateFetches++;
    if ((response.headers()["content-type"] ?? "").startsWith("text/event-stream")) return;
    pending.push(response.body().then((b) => b.toString("utf8"), () => ""));
  });
  const answer = await page.goto(emu.dashboardUrl);
  expect(answer?.status()).toBe(200);
  await page.getByTestId("live").filter({ hasText: "live" }).waitFor();
  return { page, bodies: () => Promise.all(pending), stateFetches: () => stateFetches };
}

/** An account's section of the Import/Export jobs. */
const ieAccount = (page: Page, accountId: string) => page.getByTestId("kind-importExport").getByTestId(`account-${accountId}`);

async function createImport(client = alice, bucket = "alice-import"): Promise<{ JobId: string; Signature: string }> {
  const out = await client.createJob({ JobType: "Import", Manifest: importManifest(bucket), ValidateOnly: false });
  return { JobId: out.JobId ?? "", Signature: out.Signature ?? "" };
}

describe("emulator dashboard in Chromium", () => {
  it("lists a job created through the SDK under its account, with state, manifest, history and artifacts", async () => {
    const job = await createImport();
    const other = await createImport(bob, "bob-import");
    const { page } = await openDashboard();
    const row = ieAccount(page, "111111111111").getByTestId(`job-${job.JobId}`);
    await row.waitFor();
    expect(await row.getByTestId("location").textContent()).toBe("NotReceived");
    expect(await row.getByTestId("progress").textContent()).toBe("Pending");
    expect(await row.getByTestId("type").textContent()).toBe("Import");
    await ieAccount(page, "222222222222").getByTestId(`job-${other.JobId}`).waitFor();
    expect(await ieAccount(page, "111111111111").getByTestId(`job-${other.JobId}`).count()).toBe(0);

    await row.getByTestId("details-toggle").click();
    const details = page.getByTestId(`details-${job.JobId}`);
    expect(await details.getByTestId("manifest").textContent()).toContain("bucket: alice-import");
    expect(await details.getByTestId("facts").textContent()).toBe("Regionus-east-1Error count0");
    expect(await details.getByTestId("history").textContent()).toContain("CreateJob");
    const link = details.getByTestId("artifacts").locator("a");
    expect(await link.getAttribute("href")).toBe(`${emu.endpoint}/_emulator/artifacts/${job.JobId}/shipping-instructions.pdf`);
    await page.close();
  });

  it("Advance and Set move the job, and the SDK's GetStatus shows the new state", async () => {
    const job = await createImport();
    const { page } = await openDashboard();
    const row = page.getByTestId(`job-${job.JobId}`);
    await row.getByTestId("advance").click();
    await expect.poll(() => row.getByTestId("location").textContent()).toBe("AtAWS");
    expect(await page.getByTestId("message").textContent()).toBe(`Job ${job.JobId} advanced to the next stage`);
    const afterAdvance = await alice.getStatus({ JobId: job.JobId });
    expect([afterAdvance.LocationCode, afterAdvance.ProgressCode]).toEqual(["AtAWS", "Pending"]);

    await row.getByTestId("set-progress").selectOption("InProgress");
    await row.getByTestId("set-state").click();
    await expect.poll(() => row.getByTestId("progress").textContent()).toBe("InProgress");
    expect((await alice.getStatus({ JobId: job.JobId })).ProgressCode).toBe("InProgress");

    await row.getByTestId("set-location").selectOption("Returned");
    await row.getByTestId("set-progress").selectOption("Complete");
    await row.getByTestId("set-state").click();
    await expect.poll(() => row.getByTestId("location").textContent()).toBe("Returned");
    const done = await alice.getStatus({ JobId: job.JobId });
    expect([done.LocationCode, done.ProgressCode, done.Carrier]).toEqual(["Returned", "Complete", "UPS"]);

    // No next step after Returned/Complete: the admin API's 409 shows on the page, nothing breaks.
    await row.getByTestId("advance").click();
    await expect.poll(() => page.getByTestId("message").textContent()).toMatch(/refused — Job \w+ is already Returned\/Complete; it has no next step/);

    await row.getByTestId("details-toggle").click();
    const rows = page.getByTestId(`details-${job.JobId}`).getByTestId("history").locator("tr");
    const history: string[] = [];
    for (let i = 1; i < (await rows.count()); i++) history.push((await rows.nth(i).locator("td").allTextContents()).slice(1).join(" "));
    expect(history).toEqual([
      "CreateJob NotReceived Pending",
      "admin AtAWS Pending",
      "admin AtAWS InProgress",
      "admin Returned Complete",
    ]);
    await page.close();
  });

  it("a fault rule injected from the page takes effect on the next SDK call; Clear faults removes it", async () => {
    const job = await createImport();
    const { page } = await openDashboard();
    await page.getByTestId("fault-action").selectOption("GetStatus");
    await page.getByTestId("fault-kind").selectOption("error");
    await page.getByTestId("fault-status").fill("503");
    await page.getByTestId("fault-code").fill("ServiceUnavailable");
    await page.getByTestId("fault-count").fill("1");
    await page.getByTestId("fault-add").click();
    await expect.poll(() => page.getByTestId("fault-rule").allTextContents()).toEqual(["GetStatus: error, count 1, remaining 1, status 503, code ServiceUnavailable"]);
    await expect(alice.getStatus({ JobId: job.JobId })).rejects.toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    expect((await alice.getStatus({ JobId: job.JobId })).JobId).toBe(job.JobId); // count 1: spent
    await expect.poll(() => page.getByTestId("fault-rule").count()).toBe(0); // the spent rule leaves the list at once

    await page.getByTestId("fault-action").selectOption("*");
    await page.getByTestId("fault-kind").selectOption("throttle");
    await page.getByTestId("fault-count").fill("");
    await page.getByTestId("fault-status").fill("");
    await page.getByTestId("fault-code").fill("");
    await page.getByTestId("fault-add").click();
    await expect.poll(() => page.getByTestId("fault-rule").allTextContents()).toEqual(["*: throttle"]);
    await expect(alice.listJobs({})).rejects.toMatchObject({ name: "Throttling" });
    await page.getByTestId("fault-clear").click();
    await expect.poll(() => page.getByTestId("fault-rule").count()).toBe(0);
    expect((await alice.listJobs({})).Jobs?.length).toBe(1);
    await page.close();
  });

  it("no secret key, job signature or manifest password is in the page or any response it fetched", async () => {
    const job = await createImport();
    const exported = await alice.createJob({ JobType: "Export", Manifest: exportManifest("alice-import", "alice-logs"), ValidateOnly: false });
    const bobJob = await createImport(bob, "bob-import");
    const { page, bodies } = await openDashboard();
    for (const id of [job.JobId, exported.JobId ?? "", bobJob.JobId]) await page.getByTestId(`job-${id}`).getByTestId("details-toggle").click();
    const manifest = await page.getByTestId(`details-${exported.JobId ?? ""}`).getByTestId("manifest").textContent();
    expect(manifest).toMatch(/trueCryptPassword: "?\[redacted\]"?/);
    await page.getByTestId(`job-${job.JobId}`).getByTestId("advance").click();
    await expect.poll(() => page.getByTestId(`job-${job.JobId}`).getByTestId("location").textContent()).toBe("AtAWS");

    const secrets = [
      ...emu.accounts.map((a) => a.secretAccessKey),
      job.Signature, exported.Signature ?? "", bobJob.Signature,
      "password123", // the export manifest's trueCryptPassword
    ];
    expect(secrets.every((s) => s.length >= 8)).toBe(true);
    const seen = [await page.content(), ...(await bodies())];
    expect(seen.length).toBeGreaterThanOrEqual(5); // page, css, js, state (several), the advance answer
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);

    // The event stream carries only change counters.
    const events = await firstBytes(`${emu.endpoint}/_emulator/ui/events`);
    expect(events).toMatch(/^retry: 1000\n\nevent: change\ndata: \{"version":\d+\}\n\n$/);
    await page.close();
  });

  it("updates live: a job created and advanced after the page loaded shows up without a reload; writes the screenshot", async () => {
    const { page, stateFetches } = await openDashboard();
    expect(await ieAccount(page, "111111111111").textContent()).toContain("No jobs yet.");
    const before = stateFetches();
    const job = await createImport();
    await page.getByTestId(`job-${job.JobId}`).waitFor({ timeout: 10_000 });
    expect(stateFetches()).toBeGreaterThan(before);
    await emu.admin.advance(job.JobId, { locationCode: "AtAWS", progressCode: "InProgress" });
    await expect.poll(() => page.getByTestId(`job-${job.JobId}`).getByTestId("progress").textContent()).toBe("InProgress");
    await alice.cancelJob({ JobId: job.JobId });
    await expect.poll(() => page.getByTestId(`job-${job.JobId}`).getByTestId("canceled").textContent()).toBe("yes");

    // A fuller picture for docs/emulator.md: a few jobs in different states, one opened.
    const second = await createImport();
    const exported = (await alice.createJob({ JobType: "Export", Manifest: exportManifest("alice-import", "alice-logs"), ValidateOnly: false })).JobId ?? "";
    await createImport(bob, "bob-import");
    await emu.admin.advance(second.JobId);
    await emu.admin.advance(exported);
    await emu.admin.advance(exported);
    const iot = iotClient(emu.endpoint, emu.account);
    try {
      for (const thingName of ["pump-1", "pump-2"]) await iot.send(new CreateThingCommand({ thingName }));
      const targets = ["pump-1", "pump-2"].map((t) => `arn:aws:iot:us-east-1:${emu.account.accountId}:thing/${t}`);
      await iot.send(new CreateJobCommand({ jobId: "firmware-7", targets, document: '{"op":"flash"}' }));
    } finally {
      iot.destroy();
    }
    await page.getByTestId("job-iot-firmware-7").waitFor();
    await emu.admin.setFaults({ action: "CreateJob", kind: "drop-after", count: 1 });
    await page.getByTestId(`job-${exported}`).getByTestId("details-toggle").click();
    await expect.poll(() => page.getByTestId(`details-${exported}`).getByTestId("history").locator("tr").count()).toBe(4);
    await expect.poll(() => page.getByTestId("fault-rule").count()).toBe(1);
    mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
    const shot = join(repoRoot, ".tmp", "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    await page.close();
  });

  it("lists IoT jobs live; Advance executions and Advance execution move them, and ListJobExecutionsForJob agrees", async () => {
    const iot: IoTClient = iotClient(emu.endpoint, emu.account);
    try {
      const arn = (name: string): string => `arn:aws:iot:us-east-1:${emu.account.accountId}:thing/${name}`;
      await iot.send(new CreateThingCommand({ thingName: "pump-1" }));
      await iot.send(new CreateThingCommand({ thingName: "pump-2" }));
      const { page } = await openDashboard();
      await page.getByTestId("kind-iot").waitFor();
      await iot.send(new CreateJobCommand({ jobId: "firmware-7", targets: [arn("pump-1"), arn("pump-2")], document: '{"op":"flash"}' }));
      const row = page.getByTestId("kind-iot").getByTestId("account-111111111111").getByTestId("job-iot-firmware-7");
      await row.waitFor({ timeout: 10_000 }); // created after the page loaded
      expect(await row.getByTestId("executions").textContent()).toBe("pump-1 QUEUED, pump-2 QUEUED");
      const execution = async (thingName: string): Promise<string | undefined> =>
        (await iot.send(new ListJobExecutionsForJobCommand({ jobId: "firmware-7" }))).executionSummaries?.find((e) => e.thingArn === arn(thingName))?.jobExecutionSummary?.status;

      await row.getByTestId("advance-executions").click();
      await expect.poll(() => row.getByTestId("executions").textContent()).toBe("pump-1 IN_PROGRESS, pump-2 IN_PROGRESS");
      expect([await execution("pump-1"), await execution("pump-2")]).toEqual(["IN_PROGRESS", "IN_PROGRESS"]);

      await row.getByTestId("details-toggle").click();
      const details = page.getByTestId("details-iot-firmware-7");
      await details.getByTestId("execution-pump-1").getByTestId("advance-execution").click();
      await expect.poll(() => details.getByTestId("execution-pump-1").getByTestId("execution-status").textContent()).toBe("SUCCEEDED");
      expect(await execution("pump-1")).toBe("SUCCEEDED");
      await details.getByTestId("execution-pump-2").getByTestId("set-execution-status").selectOption("FAILED");
      await details.getByTestId("execution-pump-2").getByTestId("set-execution").click();
      await expect.poll(() => row.getByTestId("status").textContent()).toBe("COMPLETED");
      expect(await execution("pump-2")).toBe("FAILED");
      expect((await iot.send(new DescribeJobCommand({ jobId: "firmware-7" }))).job?.status).toBe("COMPLETED");
      expect(await row.getByTestId("advance-executions").isDisabled()).toBe(true);
      await page.close();
    } finally {
      iot.destroy();
    }
  });

  it("refuses a DNS-rebinding Host and a cross-site page's text/plain POST, in the browser", async () => {
    const job = await createImport();
    const page = await chromiumContext().newPage();
    // The attacker's name now resolves to 127.0.0.1: the browser sends Host: rebind.attacker.test:PORT.
    const rebound = await page.goto(`http://${REBIND_HOST}:${new URL(emu.endpoint).port}/_emulator/ui/state`);
    expect(rebound?.status()).toBe(403);
    const text = (await rebound?.text()) ?? "";
    expect(text).toContain("is not a loopback name or address");
    for (const a of emu.accounts) expect(text).not.toContain(a.secretAccessKey);

    // A page on another origin fires the "simple" requests a form or no-cors fetch can send without a preflight.
    const attacker = await startAttackerSite(emu.endpoint, job.JobId);
    try {
      await page.goto(attacker.url);
      await page.waitForFunction("document.body.dataset.done === 'yes'", undefined, { timeout: 10_000 });
    } finally {
      await new Promise<void>((done) => {
        attacker.server.close(() => done());
        attacker.server.closeAllConnections();
      });
    }
    const jobs = await emu.admin.jobs();
    expect(jobs.map((j) => [j.jobId, j.locationCode])).toEqual([[job.JobId, "NotReceived"]]);
    expect((await (await fetch(`${emu.endpoint}/_emulator/faults`)).json()) as unknown).toEqual({ rules: [] });
    await page.close();
  });

  it("shows the jobs of a registered service without a page script as a plain table, details as JSON", async () => {
    // A core server with one service the page has no renderer for (only the EmulatedService shape).
    let base = "";
    const accounts = new AccountDirectory(emu.accounts);
    const service: EmulatedService = {
      name: "echo",
      matches: () => false,
      handle: async () => {},
      sendError: () => {},
      dashboard: { kind: "echo", title: "Echo jobs", jobs: () => [{ jobId: "E1", accountId: emu.account.accountId, state: "RUNNING", attempts: 2 }], accountOf: (job) => (job as { accountId: string }).accountId, view: (job) => job as Record<string, unknown> },
      close: () => {},
    };
    const changes = new ChangeFeed();
    const admin: AdminContext = { services: [service], faults: new FaultInjector(), stats: new RequestStats(), accounts, now: Date.now, advanceClock: () => {}, resetClock: () => {}, startedAt: Date.now(), changes, endpoint: () => base };
    const server = createEmulatorServer({ services: [service], logger: () => {}, admin: (req, res, path, body) => handleAdmin(admin, req, res, path, body) });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await chromiumContext().newPage();
    try {
      await page.goto(`${base}/_emulator/ui`);
      const row = page.getByTestId("kind-echo").getByTestId("job-E1");
      await row.waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("kind-echo").locator("h2").textContent()).toBe("Echo jobs");
      expect([await row.getByTestId("state").textContent(), await row.getByTestId("attempts").textContent()]).toEqual(["RUNNING", "2"]);
      await row.getByTestId("details-toggle").click();
      expect(JSON.parse((await page.getByTestId("details-E1").locator("pre").textContent()) ?? "")).toMatchObject({ jobId: "E1", state: "RUNNING" });
    } finally {
      await page.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});

/** The first chunk of a streaming answer. */
function firstBytes(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.once("data", (c: Buffer) => {
        resolve(c.toString("utf8"));
        req.destroy();
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** A second web server on another port: its page tries to reset the emulator, advance a job and add a fault. */
async function startAttackerSite(emulatorEndpoint: string, jobId: string): Promise<{ server: Server; url: string }> {
  const script = `
    const target = ${JSON.stringify(emulatorEndpoint)};
    const shots = [
      ["/_emulator/faults", '{"action":"*","kind":"error"}'],
      ["/_emulator/jobs/${jobId}/advance", "{}"],
      ["/_emulator/reset", "{}"],
    ].map(([path, body]) => fetch(target + path, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body }).catch(() => undefined));
    Promise.all(shots).then(() => { document.body.dataset.done = "yes"; });`;
  const server = createServer((req, res) => {
    if (req.url === "/attack.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(script);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end('<!doctype html><html><body><script src="/attack.js"></script></body></html>');
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}
