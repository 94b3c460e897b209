/**
 * The dashboard pages through many jobs (issue 22 item 1), in headless Chromium (Debian's `chromium`, driven by
 * playwright-core, as in dashboard.test.ts): with 250 jobs it shows 100 rows, each account's total, Previous/Next
 * and "Jobs 1–100 of 250"; Next walks to the last page; an account with jobs on other pages says so; a job created
 * meanwhile updates the totals live and shows on the first page (newest first).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../../../emulator";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { journalDir, journalJobId } from "../../helpers/job-journal";
import { call, importManifest } from "../raw-client";

const CHROMIUM = "/usr/bin/chromium";
const alice = DEFAULT_ACCOUNTS[0]!;
const bob = DEFAULT_ACCOUNTS[1]!;

let emu: TestEmulator;
let dataDir: string;
let browser: BrowserContext | undefined;
let userDataDir: string | undefined;

beforeAll(async () => {
  // Bob's 5 jobs are the oldest (the last page), Alice's 245 the rest.
  dataDir = journalDir(Array.from({ length: 250 }, (_, i) => (i < 5 ? { accountId: bob.accountId, bucket: "bob-import" } : { accountId: alice.accountId, bucket: "alice-import" })));
  emu = await startTestEmulator({ dataDir });
  if (!existsSync(CHROMIUM)) return;
  userDataDir = mkdtempSync(join(tmpdir(), "ie-dashboard-paging-chromium-"));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await emu?.close();
  for (const d of [userDataDir, dataDir]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
});

function chromiumContext(): BrowserContext {
  if (browser === undefined) {
    throw new Error(`The dashboard tests drive a real Chromium at ${CHROMIUM}, which is missing. Install Debian's package: apt-get update && apt-get install -y chromium.`);
  }
  return browser;
}

const kind = (page: Page) => page.getByTestId("kind-importExport");
const rows = (page: Page) => kind(page).locator("tr[data-kind=importExport]");
const info = (page: Page) => kind(page).getByTestId("page-info");

describe("dashboard paging in Chromium", () => {
  it("shows 100 of 250 jobs with Previous/Next, each account's total, and live totals", async () => {
    const page = await chromiumContext().newPage();
    await page.goto(emu.dashboardUrl);
    await expect.poll(() => info(page).textContent()).toBe("Jobs 1–100 of 250");
    expect(await rows(page).count()).toBe(100);
    expect(await rows(page).first().getAttribute("data-testid")).toBe(`job-${journalJobId(249)}`);
    expect(await kind(page).getByTestId("page-previous").isDisabled()).toBe(true);
    const bobSection = kind(page).getByTestId(`account-${bob.accountId}`);
    expect(await bobSection.textContent()).toContain("5 job(s)");
    expect(await bobSection.textContent()).toContain("None on this page.");
    expect(await kind(page).getByTestId(`account-${alice.accountId}`).textContent()).toContain("245 job(s)");

    await kind(page).getByTestId("page-next").click();
    await expect.poll(() => info(page).textContent()).toBe("Jobs 101–200 of 250");
    expect(await rows(page).first().getAttribute("data-testid")).toBe(`job-${journalJobId(149)}`);
    await kind(page).getByTestId("page-next").click();
    await expect.poll(() => info(page).textContent()).toBe("Jobs 201–250 of 250");
    expect(await rows(page).count()).toBe(50);
    expect(await kind(page).getByTestId("page-next").isDisabled()).toBe(true);
    expect(await bobSection.locator("tr[data-kind=importExport]").count()).toBe(5);

    // A job created now: the totals follow live; it is the newest, so it is on the first page.
    const created = await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.account });
    const jobId = created.result.JobId as string;
    await expect.poll(() => info(page).textContent()).toBe("Jobs 201–251 of 251");
    await kind(page).getByTestId("page-previous").click();
    await kind(page).getByTestId("page-previous").click();
    await expect.poll(() => info(page).textContent()).toBe("Jobs 1–100 of 251");
    expect(await rows(page).first().getAttribute("data-testid")).toBe(`job-${jobId}`);
    await page.close();
  });
});
