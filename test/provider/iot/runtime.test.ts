/**
 * The IotJob runtime (provider/iot-runtime) called directly against an in-process emulator: the paths the engine
 * test does not walk — a ResourceAlreadyExists answer reconciled (adopted when it is our job, refused otherwise),
 * destroy with executions still running (released with a warning unless forced), refresh of a job being deleted,
 * a refusal on a finished job surfaced as one line, config errors naming the key.
 */
import {
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateJobCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { iotJobPolicy } from "../../../provider/iot/definition";
import { IOT_MAX_ATTEMPTS } from "../../../provider/iot/client";
import * as runtime from "../../../provider/iot/runtime";
import { inputsOf } from "../../../provider/core/policy";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotAdmin, iotClient } from "../../helpers/iot";

let emu: TestEmulator;
let iot: IoTClient;
let thingArn = "";
let n = 0;

async function configure(extra: Record<string, string> = {}): Promise<void> {
  await runtime.resetForTests();
  const values: Record<string, string> = {
    "importexport-iot:endpoint": emu.endpoint,
    "importexport-iot:accessKeyId": emu.account.accessKeyId,
    "importexport-iot:secretAccessKey": emu.account.secretAccessKey,
    ...extra,
  };
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
}

/** check → create, as the engine runs them; returns the id and outputs. */
async function created(extra: Record<string, unknown> = {}): Promise<{ id: string; outs: Record<string, unknown> }> {
  const c = await runtime.check({}, { targets: [thingArn], document: '{"op":"reboot"}', autoNamePrefix: `t${n++}`, ...extra });
  expect(c.failures ?? []).toEqual([]);
  const r = await runtime.create(c.inputs as Record<string, unknown>);
  return { id: r.id, outs: r.outs as Record<string, unknown> };
}

beforeAll(async () => {
  emu = await startTestEmulator({ iotDeletionDelayMs: 0 });
  iot = iotClient(emu.endpoint, emu.account);
  thingArn = (await iot.send(new CreateThingCommand({ thingName: "device-1" }))).thingArn ?? "";
  await configure();
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await runtime.resetForTests();
  iot?.destroy();
  await emu?.close();
});

describe("IotJob runtime", () => {
  it("create records the job's ARN, status, counts and where it lives", async () => {
    const { id, outs } = await created({ description: "d" });
    expect(outs).toMatchObject({ jobId: id, job: { jobArn: `arn:aws:iot:us-east-1:${emu.account.accountId}:job/${id}`, status: "IN_PROGRESS", endpoint: emu.endpoint, region: "us-east-1" } });
    expect(outs["job"]).toMatchObject({ jobProcessDetails: { numberOfQueuedThings: 1 } });
  });

  it("a state written before outputs were grouped under job is rewritten by an update that sends nothing but DescribeJob", async () => {
    const { id, outs } = await created({ description: "d" });
    const { job, ...rest } = outs as Record<string, unknown> & { job: Record<string, unknown> };
    const flat = { ...rest, ...job };
    const news = rest; // the state holds the checked inputs beside job
    expect(await runtime.diff(id, outs, news)).toMatchObject({ changes: false });
    expect(await runtime.diff(id, flat, news)).toEqual({ changes: true });
    const before = (await emu.admin.stats()).byAction;
    const u = await runtime.update(id, flat, news);
    const after = (await emu.admin.stats()).byAction;
    for (const call of ["iot:UpdateJob", "iot:TagResource", "iot:UntagResource"]) expect(after[call] ?? 0, call).toBe(before[call] ?? 0);
    expect(after["iot:DescribeJob"] ?? 0).toBeGreaterThan(before["iot:DescribeJob"] ?? 0);
    expect(u.outs?.["job"]).toMatchObject({ jobArn: job["jobArn"], status: "IN_PROGRESS", endpoint: emu.endpoint });
  });

  it("ResourceAlreadyExists for a job with our targets and document (a lost answer) → adopted, with a warning", async () => {
    await iot.send(new CreateJobCommand({ jobId: "lost-answer", targets: [thingArn], document: '{"op":"reboot"}' }));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { id } = await created({ jobId: "lost-answer" });
    expect(id).toBe("lost-answer");
    expect(log.mock.calls.flat().join("\n")).toMatch(/ResourceAlreadyExistsException.*adopted/);
  });

  it("a CreateJob whose answer is lost (the emulator drops the connection after creating): the SDK's retry meets 409, and the job is adopted, not duplicated", async () => {
    await emu.admin.setFaults({ action: "iot:CreateJob", kind: "drop-after", count: 1 });
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const { id, outs } = await created({ jobId: "dropped-answer", description: "once" });
      expect(outs).toMatchObject({ jobId: "dropped-answer", job: { status: "IN_PROGRESS" } });
      expect(log.mock.calls.flat().join("\n")).toMatch(/ResourceAlreadyExistsException for IoT job dropped-answer.*adopted/);
      expect((await iotAdmin(emu.endpoint).jobs()).filter((j) => j.jobId === id)).toHaveLength(1);
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it("a throttled CreateJob (ThrottlingException, HTTP 400) is retried by the SDK and succeeds", async () => {
    await emu.admin.setFaults({ action: "iot:CreateJob", kind: "throttle", count: 1 });
    try {
      const { outs } = await created();
      expect(outs["job"]).toMatchObject({ status: "IN_PROGRESS" });
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it("ResourceAlreadyExists for another job under that ID → a clear error, nothing adopted", async () => {
    await iot.send(new CreateJobCommand({ jobId: "taken", targets: [thingArn], document: '{"op":"other"}' }));
    await expect(created({ jobId: "taken" })).rejects.toThrow(/IoT job taken already exists with other targets or another document \(ResourceAlreadyExistsException\)\. Choose another jobId/);
  });

  it("destroy with an execution a device is running: cancelled without force, then released with a warning", async () => {
    const { id, outs } = await created();
    await iotAdmin(emu.endpoint).execution(id, "device-1", "IN_PROGRESS");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await runtime.delete(id, outs);
    const job = (await iot.send(new DescribeJobCommand({ jobId: id }))).job;
    expect(job).toMatchObject({ status: "CANCELED", forceCanceled: false });
    expect(job?.jobProcessDetails?.numberOfInProgressThings).toBe(1);
    expect(log.mock.calls.flat().join("\n")).toMatch(new RegExp(`warning: IoT job ${id} \\(status CANCELED\\) was not deleted: devices are still running its executions.*forceDelete: true`));
  });

  it("destroy with forceDelete deletes it anyway; with forceCancel the running execution is cancelled first", async () => {
    const a = await created({ forceDelete: true });
    await iotAdmin(emu.endpoint).execution(a.id, "device-1", "IN_PROGRESS");
    await runtime.delete(a.id, a.outs);
    await expect(iot.send(new DescribeJobCommand({ jobId: a.id }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });

    const b = await created({ forceCancel: true });
    await iotAdmin(emu.endpoint).execution(b.id, "device-1", "IN_PROGRESS");
    const admin = iotAdmin(emu.endpoint);
    await runtime.delete(b.id, b.outs);
    const left = (await admin.jobs()).find((j) => j.jobId === b.id);
    expect(left).toBeUndefined();
  });

  it("UpdateJob answering LimitExceededException once is retried by the client's retry strategy and succeeds", async () => {
    const { id, outs } = await created({ description: "before" });
    await emu.admin.setFaults({ action: "iot:UpdateJob", kind: "error", code: "LimitExceededException", status: 410, count: 1 });
    try {
      const before = (await emu.admin.stats()).byAction["iot:UpdateJob"] ?? 0;
      const news = (await runtime.check(outs, { targets: [thingArn], document: '{"op":"reboot"}', description: "after" })).inputs as Record<string, unknown>;
      await runtime.update(id, outs, news);
      expect(((await emu.admin.stats()).byAction["iot:UpdateJob"] ?? 0) - before).toBe(2);
      expect((await iot.send(new DescribeJobCommand({ jobId: id }))).job?.description).toBe("after");
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it(`UpdateJob answering LimitExceededException every time: ${IOT_MAX_ATTEMPTS} attempts, then one line naming the job and the code`, async () => {
    const { id, outs } = await created({ description: "before" });
    await emu.admin.setFaults({ action: "iot:UpdateJob", kind: "error", code: "LimitExceededException", status: 410 });
    try {
      const before = (await emu.admin.stats()).byAction["iot:UpdateJob"] ?? 0;
      const news = (await runtime.check(outs, { targets: [thingArn], document: '{"op":"reboot"}', description: "after" })).inputs as Record<string, unknown>;
      const err = await runtime.update(id, outs, news).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(new RegExp(`^UpdateJob for IoT job ${id} failed: .*\\(LimitExceededException\\)$`));
      expect(err?.stack).toBe("");
      expect(((await emu.admin.stats()).byAction["iot:UpdateJob"] ?? 0) - before).toBe(IOT_MAX_ATTEMPTS);
    } finally {
      await emu.admin.clearFaults();
    }
    expect((await iot.send(new DescribeJobCommand({ jobId: id }))).job?.description).toBe("before");
  }, 30_000);

  it("DeleteJob answering LimitExceededException (410, too many deletions at once) is retried by the client's retry strategy", async () => {
    const { id, outs } = await created();
    await emu.admin.setFaults({ action: "iot:DeleteJob", kind: "error", code: "LimitExceededException", status: 410, count: 2 });
    try {
      const before = (await emu.admin.stats()).byAction["iot:DeleteJob"] ?? 0;
      await runtime.delete(id, outs);
      expect(((await emu.admin.stats()).byAction["iot:DeleteJob"] ?? 0) - before).toBe(3);
      await expect(iot.send(new DescribeJobCommand({ jobId: id }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it("destroy of a finished job deletes it; of a gone one does nothing", async () => {
    const { id, outs } = await created();
    await iotAdmin(emu.endpoint).executions(id, "SUCCEEDED");
    await runtime.delete(id, outs);
    await expect(iot.send(new DescribeJobCommand({ jobId: id }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(runtime.delete(id, outs)).resolves.toBeUndefined();
  });

  it("refresh: a job being deleted, or not found, leaves the stack; a live one keeps its inputs", async () => {
    const { id, outs } = await created({ description: "kept" });
    const live = await runtime.read(id, outs);
    expect(live.id).toBe(id);
    // An auto-name goes back to the engine as the internal input __jobId (provider/iot-autoname), the output stays jobId.
    expect(live.inputs).toMatchObject({ description: "kept", __jobId: id, jobIdAutoNamed: true });
    expect(live.inputs?.["jobId"]).toBeUndefined();
    expect(live.props).toMatchObject({ jobId: id });
    await iot.send(new CancelJobCommand({ jobId: id }));
    await iot.send(new DeleteJobCommand({ jobId: id }));
    expect((await runtime.read(id, outs)).id).toBe("");
  });

  it("get (a read with no prior inputs): every input from the service, a CANCELED job too; a job being deleted is gone", async () => {
    const { id } = await created({ description: "seen", tags: { team: "a" }, targetSelection: "CONTINUOUS" });
    await iot.send(new CancelJobCommand({ jobId: id }));
    // The dynamic face's `get` sends the serialized provider and the class's naming keys, no input of the job's.
    const getProps = { __provider: "serialized", autoNamePrefix: "seen", __autoNameSeed: "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic/importexport:IotJob::seen" };
    const seen = await runtime.read(id, getProps);
    expect(seen.id).toBe(id);
    expect(seen.inputs).toEqual({ jobId: id, targets: [thingArn], document: '{"op":"reboot"}', description: "seen", targetSelection: "CONTINUOUS", tags: { team: "a" } });
    expect(seen.props).toMatchObject({ jobId: id, targets: [thingArn], job: { status: "CANCELED" } });
    await iot.send(new DeleteJobCommand({ jobId: id }));
    expect(await runtime.read(id, getProps)).toEqual({ id: "" });
  });

  it("refresh reports drift on the updatable fields (an out-of-band UpdateJob / TagResource), and the next update puts the program's values back", async () => {
    const program = {
      targets: [thingArn],
      document: '{"op":"reboot"}',
      description: "as written",
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 20, minNumberOfExecutedThings: 1 }] },
      tags: { team: "fleet" },
    };
    const { id, outs } = await created(program);
    const arn = (outs["job"] as { jobArn: string }).jobArn;
    await iot.send(new UpdateJobCommand({ jobId: id, description: "changed by hand", timeoutConfig: { inProgressTimeoutInMinutes: 90 }, jobExecutionsRolloutConfig: { maximumPerMinute: 7 } }));
    await iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: "team", Value: "other" }, { Key: "owner", Value: "ops" }] }));

    const refreshed = await runtime.read(id, outs);
    expect(refreshed.inputs).toMatchObject({ description: "changed by hand", timeoutConfig: { inProgressTimeoutInMinutes: 90 }, tags: { team: "other", owner: "ops" }, abortConfig: program.abortConfig });
    expect(refreshed.props).toMatchObject({ description: "changed by hand", timeoutConfig: { inProgressTimeoutInMinutes: 90 }, tags: { team: "other", owner: "ops" } });
    // A member the program does not set is not reported, even though the job now has one: UpdateJob cannot clear it.
    expect(refreshed.inputs).not.toHaveProperty("jobExecutionsRolloutConfig");

    const props = refreshed.props as Record<string, unknown>;
    const news = (await runtime.check(props, { ...program, autoNamePrefix: outs["autoNamePrefix"] })).inputs as Record<string, unknown>;
    expect(await runtime.diff(id, props, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await runtime.update(id, props, news);
    const job = (await iot.send(new DescribeJobCommand({ jobId: id }))).job;
    expect(job).toMatchObject({ description: "as written", timeoutConfig: { inProgressTimeoutInMinutes: 30 } });
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: "team", Value: "fleet" }]);
    // And a refresh now finds nothing to report.
    const again = await runtime.read(id, updated.outs as Record<string, unknown>);
    expect(await runtime.diff(id, again.props as Record<string, unknown>, news)).toMatchObject({ changes: false });
  });

  it("an update the service refuses (a finished job) is one line naming the job and the code, never a replacement", async () => {
    const { id, outs } = await created({ description: "a" });
    await iotAdmin(emu.endpoint).executions(id, "SUCCEEDED");
    const news = { ...(await runtime.check(outs, { targets: [thingArn], document: '{"op":"reboot"}', description: "b" })).inputs };
    expect(await runtime.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const err = await runtime.update(id, outs, news).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(new RegExp(`^UpdateJob for IoT job ${id} failed: .*COMPLETED.*\\(InvalidRequestException\\)$`));
    expect(err?.stack).toBe("");
  });

  it("a stack pointed at another endpoint replaces the job, saying so", async () => {
    const { id, outs } = await created();
    await configure({ "importexport-iot:endpoint": "http://127.0.0.1:9" });
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const d = await runtime.diff(id, outs, inputsOf(iotJobPolicy, outs));
    expect(d).toEqual({ changes: true, replaces: ["endpoint"], deleteBeforeReplace: false });
    expect(log.mock.calls.flat().join("\n")).toContain(`IoT job ${id} will be replaced: endpoint changed from ${emu.endpoint} to http://127.0.0.1:9.`);
    await configure();
  });

  it("config errors name the key", async () => {
    await expect(configure({ "importexport-iot:endpoint": "not a url" })).rejects.toThrow(/^Stack config importexport-iot:endpoint: is not a URL: "not a url"/);
    await expect(configure({ "importexport-iot:secretAccessKey": "" , "importexport-iot:accessKeyId": "AKID" })).rejects.toThrow(/importexport-iot:secretAccessKey/);
    await configure();
  });

  it("an unreachable endpoint is one line naming the config key", async () => {
    await configure({ "importexport-iot:endpoint": "http://127.0.0.1:9" });
    const c = await runtime.check({}, { targets: [thingArn], document: "{}", autoNamePrefix: "x" });
    await expect(runtime.create(c.inputs as Record<string, unknown>)).rejects.toThrow(/^CreateJob for IoT job x-[a-z0-9]{7} failed: could not reach http:\/\/127\.0\.0\.1:9 .*importexport-iot:endpoint/);
    await configure();
  });
});
