/**
 * The native face from an `npm pack` install, as a new user gets it: a fresh project outside the repo laid out like
 * `pulumi new typescript` (../package/packed: the pack, the install and the user's environment), the plugin found
 * through the discovery path docs/native.md recommends
 * (`plugins: providers: [{ name: importexport, path: ./node_modules/pulumi-importexport/bin }]`), the program
 * type-checked against the installed types (`moduleResolution: node`, so through `typesVersions`), and both resources'
 * provider the engine's *default* provider, configured from `importexport:*` stack config (IotJob at the same
 * endpoint). Then `pulumi up` and `pulumi destroy` with the real CLI against the emulator; and once more with the
 * plugin found on PATH instead.
 */
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateThingCommand, DescribeJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { packedProject } from "../package/packed";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob, IotJob } from "pulumi-importexport/native";

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

const rollout = new IotJob("rollout", { targets: [new pulumi.Config().require("thing")], document: '{"operation":"reboot"}' });
export const rolloutId = rollout.jobId;
export const rolloutArn = rollout.jobArn;
`;

describe("native face from an npm pack install, default provider from stack config", () => {
  let work: string;
  let project: string;
  let emu: TestEmulator;
  let iot: IoTClient;
  let thing = "";
  let env: NodeJS.ProcessEnv;

  const run = (file: string, args: readonly string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(file, args, { cwd: project, env, timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${file} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
  const pulumi = (...args: string[]) => run("pulumi", [...args, "--non-interactive", "--color", "never"]);
  /** The IoT job's status, or the error code once it is gone. */
  const iotStatus = (jobId: string): Promise<string | undefined> => iot.send(new DescribeJobCommand({ jobId })).then((r) => r.job?.status, (e: Error) => e.name);

  beforeAll(async () => {
    emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
    iot = iotClient(emu.endpoint, emu.account);
    thing = (await iot.send(new CreateThingCommand({ thingName: "npm-native" }))).thingArn ?? "";
    ({ work, project, env } = await packedProject("native-npm", "photos"));
  }, 600_000);
  afterAll(async () => {
    iot?.destroy();
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
    await pulumi("config", "set", "thing", thing);
    await pulumi("up", "--yes");
    const outputs = JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, string>;
    expect(outputs).toMatchObject({ progress: "Pending", signature: "[secret]" });
    const rolloutId = outputs["rolloutId"] ?? "";
    expect(rolloutId).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(outputs["rolloutArn"]).toBe(`arn:aws:iot:us-east-1:${emu.account.accountId}:job/${rolloutId}`);
    expect((await iot.send(new DescribeJobCommand({ jobId: rolloutId }))).job?.targets).toEqual([thing]);
    const jobId = outputs["jobId"] ?? "";
    expect((await emu.admin.jobs()).map((j) => [j.jobId, j.accountId])).toEqual([[jobId, emu.account.accountId]]);
    const state = await pulumi("stack", "export");
    expect(state).toContain('"type": "importexport:index:ImportExportJob"');
    expect(state).toContain('"type": "importexport:index:IotJob"');
    expect(state).toContain('"type": "pulumi:providers:importexport"');
    expect(state).not.toContain(emu.account.secretAccessKey);

    await pulumi("destroy", "--yes");
    expect((await emu.admin.jobs()).find((j) => j.jobId === jobId)).toMatchObject({ isCanceled: true });
    expect(await iotStatus(rolloutId)).toMatch(/^(CANCELED|DELETION_IN_PROGRESS|ResourceNotFoundException)$/);
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
