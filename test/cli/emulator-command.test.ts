/**
 * `importexport emulator`: the same emulator as the `importexport-emulator` bin, started from the CLI. Spawned for
 * real: first stdout line is the JSON contract, the second the dashboard URL, the job verbs work against it, SIGTERM stops it with exit 0,
 * and --data-dir keeps jobs across a restart.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, isolatedEnv, runCli, spawnCli } from "./helpers";

interface FirstLine {
  endpoint: string;
  region: string;
  accounts: { accountId: string; accessKeyId: string; secretAccessKey: string; buckets: { name: string; region: string }[] }[];
}

const manifest = [
  "manifestVersion: 2.0",
  "deviceId: 1",
  "bucket: alice-import",
  "returnAddress:",
  "  name: Jane Roe",
  "  street1: 1 Main St",
  "  city: Anytown",
  "  stateOrProvince: WA",
  "  postalCode: 98101",
  "  phoneNumber: 206-555-0100",
  "  country: USA",
  "",
].join("\n");

describe("importexport emulator", () => {
  beforeAll(async () => {
    await ensureCliBuilt();
  });

  it("prints the endpoint/accounts JSON line, serves the job verbs, keeps jobs in --data-dir, stops on SIGTERM with 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "importexport-cli-emu-"));
    const first = await spawnCli(["emulator", "--port", "0", "--data-dir", dataDir, "--log-format", "json"], isolatedEnv());
    const info = JSON.parse(first.firstLine) as FirstLine;
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.region).toBe("us-east-1");
    expect(info.accounts.length).toBeGreaterThanOrEqual(2);
    const alice = info.accounts[0]!;
    expect(alice.buckets.map((b) => b.name)).toContain("alice-import");
    // The second line names the dashboard, and it answers there.
    const dashboard = /^Dashboard: (\S+) \(loopback only\)$/.exec(await first.nextLine())?.[1];
    expect(dashboard).toBe(`${info.endpoint}/_emulator/ui`);
    const page = await fetch(dashboard!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Import/Export emulator</title>");

    const dir = mkdtempSync(join(tmpdir(), "importexport-cli-"));
    writeFileSync(join(dir, "m.yaml"), manifest);
    const env = (endpoint: string): NodeJS.ProcessEnv =>
      isolatedEnv({ AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey, AWS_ENDPOINT_URL: endpoint });
    const created = await runCli(["create-job", "--job-type", "Import", "--manifest", "file://m.yaml"], env(info.endpoint), dir);
    expect(created.code, created.stderr).toBe(0);
    const { JobId } = JSON.parse(created.stdout) as { JobId: string };

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // A second emulator on the same data dir still knows the job.
    const second = await spawnCli(["emulator", "--port", "0", "--data-dir", dataDir], isolatedEnv());
    try {
      const { endpoint } = JSON.parse(second.firstLine) as FirstLine;
      const status = await runCli(["get-status", "--job-id", JobId, "--output", "text"], env(endpoint), dir);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`\t${JobId}\tImport\tNotReceived\t`);
    } finally {
      second.child.kill("SIGINT");
    }
    expect(await second.exited).toBe(0);
  });

  it("bad flags exit 2 with one line", async () => {
    for (const args of [["emulator", "--port", "70000"], ["emulator", "--advance-after", "soon"], ["emulator", "--log-format", "xml"], ["emulator", "--accounts", "/nonexistent.json"]]) {
      const r = await runCli(args, isolatedEnv());
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^importexport: UsageError: /);
    }
  });
});
