/**
 * The one lookup of the YAML language host (scripts/yaml-host.cjs, which scripts/setup.mjs and scripts/demo.mjs use
 * too) and the check YAML tests make with it (test/helpers/yaml-project.ts, used by test/engine/yaml-harness.ts
 * too): the directories are the one beside pulumi, then PATH's; a host in any directory searched is found; none
 * anywhere is an error that names what is missing, where it was looked for and how to get it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { yamlHostDirs } from "../../scripts/yaml-host.cjs";
import { yamlHostIn } from "../helpers/yaml-project";

describe("yamlHostDirs", () => {
  it("searches beside pulumi first, then each PATH entry in order, skipping empty ones", () => {
    const path = ["/opt/a", "", "/usr/bin", ""].join(delimiter);
    expect(yamlHostDirs("/cache/bin", path)).toEqual(["/cache/bin", "/opt/a", "/usr/bin"]);
  });

  it("reads PATH from the environment when no path is given", () => {
    const saved = process.env["PATH"];
    process.env["PATH"] = ["/opt/b", "/usr/local/bin"].join(delimiter);
    try {
      expect(yamlHostDirs("/cache/bin")).toEqual(["/cache/bin", "/opt/b", "/usr/local/bin"]);
    } finally {
      process.env["PATH"] = saved;
    }
  });
});

describe("yamlHostIn", () => {
  const root = mkdtempSync(join(tmpdir(), "ie-yaml-host-"));
  const beside = join(root, "pulumi-bin");
  const onPath = join(root, "path-bin");
  mkdirSync(beside);
  mkdirSync(onPath);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("says what is missing, where it looked first and how to get it, when no directory has the host", () => {
    expect(() => yamlHostIn([beside, onPath])).toThrow(
      new RegExp(
        "^pulumi-language-yaml \\(the Pulumi YAML language host\\) is missing: YAML programs cannot run\\. .*run scripts/pulumi-cli " +
          `.*github\\.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1\\.25\\.0 beside pulumi in ${beside}\\), or put .* on PATH\\.$`,
      ),
    );
  });

  it("finds the host in a later directory (PATH) when the first (beside pulumi) has none", () => {
    const host = join(onPath, "pulumi-language-yaml");
    writeFileSync(host, "#!/bin/sh\nexit 0\n");
    chmodSync(host, 0o755);
    expect(yamlHostIn([beside, onPath])).toBe(host);
  });
});
