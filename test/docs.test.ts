/** The generated API reference (docs/reference.md) must match the sources: it documents every exported name. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(__dirname, "..");

it("docs/reference.md lists every exported name with its doc comment, and is current", () => {
  const r = spawnSync(process.execPath, [join(root, "scripts", "gen-reference.mjs"), "--check"], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});
