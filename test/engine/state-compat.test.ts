/**
 * A state written by the previous release (0.1.0, commit 8246808), read by the package as it is now, through the
 * real engine (issue 20, item 6). The fixture (test/engine/fixtures/state-0.1.0, made by its make.mjs) holds what
 * that release's `pulumi up` wrote for one ImportExportJob and one IotJob — each provider stored as a `require()` of
 * its old dist path (`dist/provider/import-export-provider.js`, `dist/provider/iot-job-provider.js`) — and the
 * emulator data holding the jobs. Here the package is packed and installed as a user installs it, in the same
 * layout, the state imported, and: `preview` shows no change, `up` changes nothing, an edit updates the IotJob in
 * place on the old state, and `destroy` cancels and deletes the jobs. The steps share one stack, so they run in order.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeJobCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { createProgramStack, emulatorConfig, repoRoot, type ProgramStack } from "./harness";

const STEP = 240_000;
const fixture = join(repoRoot, "test", "engine", "fixtures", "state-0.1.0");
const meta = JSON.parse(readFileSync(join(fixture, "meta.json"), "utf8")) as { endpoint: string; jobId: string; thingArn: string };
/** The secrets provider's passphrase the fixture was written with (a test passphrase). */
const PASSPHRASE = "state-compat-test-passphrase";
/** The provider objects as the previous release stored them: `require()`s of the old dist paths. */
const OLD_PROVIDERS = ['require("pulumi-importexport/dist/provider/import-export-provider.js")', 'require("pulumi-importexport/dist/provider/iot-job-provider.js")'];

describe("a state written by release 0.1.0, run by this package", () => {
  let emu: TestEmulator;
  let ws: ProgramStack;
  let iot: IoTClient;
  let dataDir = "";
  let iotJobId = "";

  /** The `__provider` texts of the stack's resources, from its state file. */
  const providers = (): string[] => {
    const state = JSON.parse(ws.stateText()) as { checkpoint: { latest: { resources?: Array<{ inputs?: Record<string, unknown> }> } } };
    return (state.checkpoint.latest.resources ?? []).map((r) => r.inputs?.["__provider"]).filter((p): p is string => typeof p === "string");
  };
  /** Which old dist path each stored provider requires (sorted; undefined for one stored otherwise). */
  const storedPaths = (): Array<string | undefined> => providers().map((text) => OLD_PROVIDERS.find((p) => text.includes(p))).sort();

  beforeAll(async () => {
    // The jobs live in the emulator data the fixture was written with (a copy: the emulator appends to it).
    dataDir = mkdtempSync(join(tmpdir(), "ie-state-compat-"));
    cpSync(join(fixture, "emulator-data"), dataDir, { recursive: true });
    emu = await startTestEmulator({ dataDir });
    iot = iotClient(emu.endpoint, emu.account);
    ws = await createProgramStack({
      fixture: join(fixture, "program"),
      env: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
      config: { ...emulatorConfig("importexport", emu.endpoint, emu.account), ...emulatorConfig("importexport-iot", emu.endpoint, emu.account), "state-compat:thingArn": { value: meta.thingArn } },
    });
    // The package as `npm install` lays it out (a real directory under the program's node_modules): the layout in
    // which the previous release stored its providers as `require()`s of their dist paths.
    execFileSync(process.execPath, [join(repoRoot, "scripts", "install-packed.mjs"), ws.workDir], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
    // The state as the release wrote it; only the endpoint it records becomes this emulator's (the jobs' new home).
    const text = readFileSync(join(fixture, "state.json"), "utf8").split(meta.endpoint).join(emu.endpoint);
    await ws.stack.importStack(JSON.parse(text));
  }, STEP);

  afterAll(async () => {
    iot?.destroy();
    ws?.cleanup();
    await emu?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the fixture is what the release wrote: its providers are require()s of the old dist paths", () => {
    expect(storedPaths()).toEqual([...OLD_PROVIDERS].sort());
  });

  it("preview shows no change and calls neither service", async () => {
    // An IoT state written before `job.accessKeyId` costs one STS GetCallerIdentity (the account check, docs/provider.md).
    const jobCalls = async () => Object.entries((await emu.admin.stats()).byAction).filter(([a]) => a !== "GetCallerIdentity");
    const before = await jobCalls();
    const r = await ws.preview();
    expect(r.changeSummary).toEqual({ same: 3 });
    expect(await jobCalls()).toEqual(before);
  }, STEP);

  it("up changes nothing, and the providers stay stored at the paths every release reads", async () => {
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 3 });
    expect(r.outputs["jobId"]).toBe(meta.jobId);
    iotJobId = String(r.outputs["iotJobId"]);
    expect(storedPaths()).toEqual([...OLD_PROVIDERS].sort());
  }, STEP);

  it("an edit updates the IotJob in place on the old state (same jobId)", async () => {
    await ws.stack.setConfig("state-compat:description", { value: "compat rollout, edited" });
    const r = await ws.up();
    expect(r.changes).toEqual({ same: 2, update: 1 });
    expect(ws.opsFor(r.events, "rollout")).toEqual(["update"]);
    expect(r.outputs["iotJobId"]).toBe(iotJobId);
    expect((await iot.send(new DescribeJobCommand({ jobId: iotJobId }))).job?.description).toBe("compat rollout, edited");
  }, STEP);

  it("destroy cancels the (InProgress) Import/Export job and cancels and deletes the IotJob", async () => {
    const r = await ws.destroy();
    expect(r.changes).toEqual({ delete: 3 });
    const job = (await emu.admin.jobs()).find((j) => j.jobId === meta.jobId);
    expect(job?.isCanceled).toBe(true);
    const after = await iot.send(new DescribeJobCommand({ jobId: iotJobId })).then(
      (d) => d.job?.status,
      (e: Error) => e.name,
    );
    expect(["DELETION_IN_PROGRESS", "ResourceNotFoundException"]).toContain(after);
  }, STEP);
});
