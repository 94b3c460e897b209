/**
 * `npm run demo -- iot` (the IoT story, README): run it end to end so it cannot rot. It must exit 0, tell the
 * create → update → replace → destroy story of an IotJob with Pulumi's own output, and leave no process behind.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "./engine/harness";
import { runDemo } from "./helpers/demo";

it("npm run demo -- iot tells the IoT job's story and cleans up", async () => {
  const { status, out, stderr, section } = runDemo(["iot"]);
  expect(status, `${out}\n${stderr}`).toBe(0);

  expect(section(1)).toMatch(/\+ 2 created/);
  expect(section(2)).toMatch(/~ 1 to update/);
  expect(section(3)).toMatch(/~ 1 updated/);
  expect(section(5)).toMatch(/\+-1 to replace/);
  expect(section(5)).toMatch(/IoT job firmware-[a-z0-9]{7} will be replaced: document always forces replacement\./);
  expect(section(6)).toMatch(/\+-1 replaced/);
  expect(section(6)).toMatch(/was not deleted: devices are still running its executions/);
  expect(section(7)).toMatch(/- 2 deleted/);
  expect(section(3)).toMatch(/jobId\s*: "firmware-[a-z0-9]{7}"/);
  expect(out).not.toContain("emulator-alice-secret-key");

  const endpoint = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  expect(endpoint).toBeDefined();
  await expect(fetch(`${endpoint}/_emulator/health`)).rejects.toThrow();
}, 420_000);

it("an unknown story is refused with the usage line", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "demo.mjs"), "nope"], { cwd: repoRoot, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("usage: npm run demo [-- iot | -- yaml]");
});
