/**
 * Stack-based environments in Pulumi YAML (issue 24 item 4): one YAML program, three stacks (dev, staging, prod),
 * each with its own Pulumi.<stack>.yaml setting the default provider's endpoint, region and credentials (the secret
 * key as a secret) and the stack's bucket. Each stack's job must land in its own account.
 *
 * The emulator is the package's bin, started as a user starts it with an accounts file (`--accounts FILE`) that
 * defines one account per environment. The jobs are listed per account through the service API (ListJobs signed
 * with each account's keys) and through the admin API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../emulator";
import { ImportExportClient } from "../../sdk/client";
import { emulatorAdmin } from "../helpers/emulator";
import { repoRoot } from "./harness";
import { createYamlStack, importExportJobYaml, providerSettings, stepsOf, type YamlStack } from "./yaml-harness";

const STEP = 240_000;
const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/** One made-up account per environment (keys not shaped like real AWS keys, as the emulator requires). */
const ACCOUNTS: Account[] = ENVIRONMENTS.map((env, i) => ({
  accountId: `${i + 3}`.repeat(12),
  accessKeyId: `EMULATOR${env.toUpperCase()}KEY${i}`,
  secretAccessKey: `emulator-${env}-secret-key-${i}`.padEnd(40, "0"),
  buckets: [{ name: `${env}-import`, region: "us-east-1" }],
}));

/** The emulator bin (dist/emulator/bin.js) in a process group of its own; resolves with its endpoint. */
function startEmulatorBin(args: string[]): Promise<{ child: ChildProcess; endpoint: string; accounts: Account[] }> {
  const child = spawn(process.execPath, [join(repoRoot, "dist", "emulator", "bin.js"), ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}:\n${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const info = JSON.parse(line) as { endpoint: string; accounts: Account[] };
      resolve({ child, ...info });
    });
  });
}

describe("one YAML program, three stacks, each job in its own account", () => {
  const dir = mkdtempSync(join(tmpdir(), "yaml-stacks-"));
  let emulator: ChildProcess | undefined;
  let endpoint = "";
  const stacks = new Map<string, YamlStack>();
  const jobIds = new Map<string, string>();

  beforeAll(async () => {
    const file = join(dir, "accounts.json");
    writeFileSync(file, JSON.stringify(ACCOUNTS));
    const started = await startEmulatorBin(["--port", "0", "--accounts", file]);
    emulator = started.child;
    endpoint = started.endpoint;
    expect(started.accounts.map((a) => a.accountId)).toEqual(ACCOUNTS.map((a) => a.accountId));

    const body = [
      "config:",
      "  bucket:",
      "    type: string",
      "resources:",
      importExportJobYaml("photos", { deviceId: "${pulumi.stack}-DISK-1", bucket: "${bucket}", postalCode: "98101" }),
      "outputs:",
      "  jobId: ${photos.jobId}",
      "",
    ].join("\n");
    for (const [i, env] of ENVIRONMENTS.entries()) {
      const account = ACCOUNTS[i]!;
      const first = stacks.get(ENVIRONMENTS[0]);
      stacks.set(
        env,
        await createYamlStack({
          project: "yaml-envs",
          body,
          stackName: env,
          config: {
            ...providerSettings("importexport", endpoint, account),
            "importexport:region": { value: "us-east-1" },
            "yaml-envs:bucket": { value: account.buckets[0]!.name },
          },
          ...(first ? { shareWith: first } : {}),
        }),
      );
    }
  }, STEP);
  afterAll(() => {
    for (const ws of [...stacks.values()].reverse()) ws.cleanup();
    // The emulator runs in a process group of its own: end the group.
    if (emulator?.pid !== undefined && emulator.exitCode === null) process.kill(-emulator.pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("each stack's settings live in its own Pulumi.<stack>.yaml, the secret key encrypted", () => {
    for (const [i, env] of ENVIRONMENTS.entries()) {
      const ws = stacks.get(env)!;
      const text = readFileSync(join(ws.workDir, `Pulumi.${env}.yaml`), "utf8");
      expect(text).toContain(`importexport:accessKeyId: ${ACCOUNTS[i]!.accessKeyId}`);
      expect(text).toContain(`yaml-envs:bucket: ${env}-import`);
      expect(text).toMatch(/importexport:secretAccessKey:\n\s+secure: v1:/);
      expect(text).not.toContain(ACCOUNTS[i]!.secretAccessKey);
    }
  });

  it("up of each stack creates its job in its own account", async () => {
    for (const env of ENVIRONMENTS) {
      const ws = stacks.get(env)!;
      const r = await ws.up();
      expect(stepsOf(r.events.all, "photos").map((s) => s?.op)).toEqual(["create"]);
      jobIds.set(env, r.outputs["jobId"] as string);
      expect(ws.stateText()).not.toContain(ACCOUNTS[ENVIRONMENTS.indexOf(env)]!.secretAccessKey);
    }
    expect(new Set(jobIds.values()).size).toBe(3);

    // Per account, through the service API: exactly that environment's job, with its bucket and device.
    for (const [i, env] of ENVIRONMENTS.entries()) {
      const client = new ImportExportClient({ endpoint, credentials: ACCOUNTS[i]! });
      try {
        const listed = await client.listJobs({});
        expect((listed.Jobs ?? []).map((j) => j.JobId)).toEqual([jobIds.get(env)]);
        const manifest = (await client.getStatus({ JobId: jobIds.get(env)! })).CurrentManifest ?? "";
        expect(manifest).toContain(`bucket: ${env}-import`);
        expect(manifest).toContain(`deviceId: ${env}-DISK-1`);
      } finally {
        await client.destroy();
      }
    }
    // And as the emulator keeps them.
    const byAccount = (await emulatorAdmin(endpoint).jobs()).map((j) => [j.accountId, j.jobId]).sort();
    expect(byAccount).toEqual(ENVIRONMENTS.map((env, i) => [ACCOUNTS[i]!.accountId, jobIds.get(env)]).sort());
  }, STEP);
});
