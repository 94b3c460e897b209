/**
 * `pulumi plugin install resource importexport <version> --file <archive>` with the archive `npm run plugin:archive`
 * builds (scripts/plugin-archive.mjs: one esbuild bundle and a package.json): the CLI accepts it and installs it into
 * PULUMI_HOME, and a native program whose Pulumi.yaml has no `plugins:` section, with no plugin on PATH, runs on the
 * installed plugin: `pulumi up` creates the job, `pulumi destroy` cancels it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, pulumiBinDir, repoRoot, type ProgramStack } from "./harness";

const STEP = 300_000;

interface PluginArchive {
  buildPluginArchive(options: { outDir: string }): Promise<{ archive: string; version: string }>;
}

describe("the plugin archive, installed with pulumi plugin install --file", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let scratch: string;
  let built: { archive: string; version: string };
  // The pulumi CLI, its language host and node: nothing else, so no pulumi-resource-importexport is on PATH.
  const path = [pulumiBinDir(), dirname(process.execPath), "/usr/bin", "/bin"].join(delimiter);

  beforeAll(async () => {
    emu = await startTestEmulator();
    scratch = mkdtempSync(join(tmpdir(), "ie-plugin-archive-"));
    const script = (await import(join(repoRoot, "scripts", "plugin-archive.mjs"))) as PluginArchive;
    built = await script.buildPluginArchive({ outDir: scratch });
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/native-default",
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", PATH: path },
      config: {
        "importexport:endpoint": { value: emu.endpoint },
        "importexport:accessKeyId": { value: emu.account.accessKeyId },
        "importexport:secretAccessKey": { value: emu.account.secretAccessKey, secret: true },
      },
    });
    // The project as a user writes it once the plugin is installed: no plugins section.
    const yamlPath = join(ws.workDir, "Pulumi.yaml");
    writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace(/^(#.*\n)?plugins:[\s\S]*$/m, ""));
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    await emu?.close();
  });

  const cli = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile("pulumi", [...args, "--non-interactive"], { cwd: ws.workDir, env: { ...process.env, ...ws.env, PATH: path }, timeout: STEP }, (err, stdout, stderr) =>
        err ? reject(new Error(`pulumi ${args.join(" ")}: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );

  it("installs into PULUMI_HOME; the project names no plugin path and none is on PATH", async () => {
    await cli("plugin", "install", "resource", "importexport", built.version, "--file", built.archive);
    const dir = join(ws.pulumiHome, "plugins", `resource-importexport-v${built.version}`);
    expect(existsSync(join(dir, "pulumi-resource-importexport"))).toBe(true);
    expect(JSON.parse(await cli("plugin", "ls", "--json"))).toContainEqual(expect.objectContaining({ name: "importexport", kind: "resource", version: built.version }));
    expect(readFileSync(join(ws.workDir, "Pulumi.yaml"), "utf8")).not.toContain("plugins:");
    expect(path.split(delimiter).filter((d) => existsSync(join(d, "pulumi-resource-importexport")))).toEqual([]);
  }, STEP);

  it("pulumi up creates the job through the installed plugin; destroy cancels it", async () => {
    const r = await ws.up();
    const jobId = r.outputs["jobId"] as string;
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect((await emu.admin.jobs()).map((j) => [j.jobId, j.accountId])).toEqual([[jobId, emu.account.accountId]]);
    await ws.destroy();
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, STEP);
});
