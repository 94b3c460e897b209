/**
 * The native face from an `npm pack` install, as a new user gets it: a fresh project outside the repo laid out like
 * `pulumi new typescript`, the plugin found through the discovery path docs/native.md recommends
 * (`plugins: providers: [{ name: importexport, path: ./node_modules/pulumi-importexport/bin }]`), the program
 * type-checked against the installed types (`moduleResolution: node`, so through `typesVersions`), and the job's
 * provider the engine's *default* provider, configured from `importexport:*` stack config. Then `pulumi up` and
 * `pulumi destroy` with the real CLI against the emulator; and once more with the plugin found on PATH instead.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { installTarball, packRepo, projectDir } from "../package/packed";
import { pulumiBinDir } from "./harness";

const PROGRAM = `import { ImportExportJob } from "pulumi-importexport/native";

const photos = new ImportExportJob("photos", {
  jobType: "Import",
  manifest: {
    manifestVersion: "2.0",
    deviceId: "NPM-NATIVE-1",
    eraseDevice: true,
    bucket: "alice-import",
    returnAddress: {
      name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA",
      postalCode: "98101", phoneNumber: "206-555-1111", country: "USA",
    },
  },
});

export const jobId = photos.jobId;
export const progress = photos.progressCode;
export const signature = photos.signature;
`;

describe("native face from an npm pack install, default provider from stack config", () => {
  let work: string;
  let project: string;
  let emu: TestEmulator;
  let env: NodeJS.ProcessEnv;

  const run = (file: string, args: readonly string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(file, args, { cwd: project, env, timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${file} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
  const pulumi = (...args: string[]) => run("pulumi", [...args, "--non-interactive", "--color", "never"]);

  beforeAll(async () => {
    emu = await startTestEmulator();
    work = projectDir("native-npm");
    project = join(work, "photos");
    mkdirSync(project);
    const packDir = join(work, "pack");
    mkdirSync(packDir);
    await installTarball(project, await packRepo(packDir));
    const home = join(work, "home");
    mkdirSync(join(home, ".pulumi"), { recursive: true });
    mkdirSync(join(work, "backend"));
    env = {
      PATH: `${pulumiBinDir()}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      HOME: home,
      PULUMI_HOME: join(home, ".pulumi"),
      PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "native-npm-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(home, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "aws-credentials"),
    };
  }, 600_000);
  afterAll(async () => {
    await emu?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("type-checks, finds the plugin through Pulumi.yaml, creates the job with the stack's config, destroys it", async () => {
    writeFileSync(
      join(project, "Pulumi.yaml"),
      "name: photos\nruntime: nodejs\nplugins:\n  providers:\n    - name: importexport\n      path: ./node_modules/pulumi-importexport/bin\n",
    );
    writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "photos", main: "index.ts", dependencies: { "@pulumi/pulumi": "3.248.0", "pulumi-importexport": "^0.1.0" } }, null, 2)}\n`);
    writeFileSync(join(project, "tsconfig.json"), `${JSON.stringify({ compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node" }, files: ["index.ts"] }, null, 2)}\n`);
    writeFileSync(join(project, "index.ts"), PROGRAM);
    await run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."]);

    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "importexport:endpoint", emu.endpoint);
    await pulumi("config", "set", "importexport:accessKeyId", emu.account.accessKeyId);
    await pulumi("config", "set", "--secret", "importexport:secretAccessKey", emu.account.secretAccessKey);
    await pulumi("up", "--yes");
    const outputs = JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, string>;
    expect(outputs).toMatchObject({ progress: "Pending", signature: "[secret]" });
    const jobId = outputs["jobId"] ?? "";
    expect((await emu.admin.jobs()).map((j) => [j.jobId, j.accountId])).toEqual([[jobId, emu.account.accountId]]);
    const state = await pulumi("stack", "export");
    expect(state).toContain('"type": "importexport:index:ImportExportJob"');
    expect(state).toContain('"type": "pulumi:providers:importexport"');
    expect(state).not.toContain(emu.account.secretAccessKey);

    await pulumi("destroy", "--yes");
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
  }, 900_000);

  it("without the plugins section, the engine finds the plugin on PATH (node_modules/.bin, where npm links it)", async () => {
    writeFileSync(join(project, "Pulumi.yaml"), "name: photos\nruntime: nodejs\n");
    const bin = join(project, "node_modules", ".bin");
    const saved = env["PATH"];
    env["PATH"] = `${bin}:${saved ?? ""}`;
    try {
      await pulumi("up", "--yes");
      const jobId = (JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, string>)["jobId"] ?? "";
      expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
      await pulumi("destroy", "--yes");
      expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
    } finally {
      env["PATH"] = saved;
    }
  }, 900_000);
});
