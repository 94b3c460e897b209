/**
 * scripts/pulumi-cli and the YAML language host: stdout is the directory only; a suitable pulumi-language-yaml
 * (PATH, cache) is used as found; without Go and without a host, pulumi alone still works and stderr says what YAML
 * programs miss and how to get it. Each case runs the real script against a cache directory of its own whose CLI
 * files are links to the real, already built ones (nothing is built here: Go is either absent or not needed).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pulumiBinDir, repoRoot } from "../engine/harness";

const script = join(repoRoot, "scripts", "pulumi-cli");
/** PATH without Go (it lives in /usr/local/go/bin here) but with node and the basic tools. */
const noGoPath = [dirname(process.execPath), "/usr/bin", "/bin"].join(":");
const CLI_FILES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

let tmp: string;
let cacheBin: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "pulumi-cli-test-"));
  cacheBin = join(tmp, "cache", "pulumi-v3.248.0", "bin");
  mkdirSync(cacheBin, { recursive: true });
  for (const f of CLI_FILES) symlinkSync(join(pulumiBinDir(), f), join(cacheBin, f));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const r = spawnSync(script, [], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { HOME: process.env["HOME"] ?? tmp, PULUMI_IMPORTEXPORT_CACHE: join(tmp, "cache"), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An executable whose Go build info says it is pulumi-language-yaml of pulumi-yaml `version`. */
function fakeBuildInfo(file: string, version: string): void {
  writeFileSync(file, `#!/bin/sh\n# path\tgithub.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml\n# mod\tgithub.com/pulumi/pulumi-yaml\t${version}\th1:x\nexit 0\n`);
  chmodSync(file, 0o755);
}

const saysWhatIsMissing = (stderr: string) => {
  expect(stderr).toMatch(/no pulumi-language-yaml \(>= v1\.25\.0\)/);
  expect(stderr).toContain("YAML programs (examples/yaml-*, 'npm run demo -- yaml', their tests) do not");
  expect(stderr).toContain("go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0");
  expect(stderr).toContain("https://www.pulumi.com/docs/install/");
};

describe("scripts/pulumi-cli: the YAML language host", () => {
  it("without Go and without a YAML host: exit 0, stdout is the cache's directory, stderr says what YAML programs miss", () => {
    const r = run({ PATH: noGoPath, PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI: "1" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${cacheBin}\n`);
    saysWhatIsMissing(r.stderr);
  });

  it("uses the YAML host in the cache as it is: no build, nothing on stderr", () => {
    symlinkSync(join(pulumiBinDir(), "pulumi-language-yaml"), join(cacheBin, "pulumi-language-yaml"));
    const r = run({ PATH: `${dirname(process.execPath)}:/usr/local/go/bin:/usr/bin:/bin`, PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI: "1" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${cacheBin}\n`);
    expect(r.stderr).toBe("");
  });

  it("a YAML host older than pulumi-yaml v1.25.0 is not suitable (its Go build info says so)", () => {
    fakeBuildInfo(join(cacheBin, "pulumi-language-yaml"), "v1.10.0");
    const r = run({ PATH: noGoPath, PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI: "1" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${cacheBin}\n`);
    saysWhatIsMissing(r.stderr);
  });

  it("a suitable YAML host on PATH is enough (the engine looks there first); the cache gets none", () => {
    const onPath = join(tmp, "yaml-on-path");
    mkdirSync(onPath);
    fakeBuildInfo(join(onPath, "pulumi-language-yaml"), "v1.25.0");
    const r = run({ PATH: `${onPath}:${noGoPath}`, PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI: "" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${cacheBin}\n`);
    expect(r.stderr).toContain(`using pulumi-language-yaml from PATH (${join(onPath, "pulumi-language-yaml")})`);
    expect(existsSync(join(cacheBin, "pulumi-language-yaml"))).toBe(false);
  });

  it("a pulumi on PATH with a YAML host beside it: that directory; without one and without Go: still that directory, and the advice", () => {
    const user = join(tmp, "user-bin");
    mkdirSync(user);
    for (const f of CLI_FILES) symlinkSync(join(pulumiBinDir(), f), join(user, f));
    const without = run({ PATH: `${user}:${noGoPath}` });
    expect(without.status, without.stderr).toBe(0);
    expect(without.stdout).toBe(`${user}\n`);
    saysWhatIsMissing(without.stderr);

    symlinkSync(join(pulumiBinDir(), "pulumi-language-yaml"), join(user, "pulumi-language-yaml"));
    const withHost = run({ PATH: `${user}:${noGoPath}` });
    expect(withHost.status, withHost.stderr).toBe(0);
    expect(withHost.stdout).toBe(`${user}\n`);
    expect(withHost.stderr).not.toMatch(/pulumi-language-yaml/);
  });
});
