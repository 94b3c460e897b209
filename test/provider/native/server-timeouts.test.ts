/**
 * Timeouts (`customTimeouts`, the `timeout` of Create/Update/Delete requests) and the engine's `Cancel`, through the
 * plugin's gRPC service over a real loopback connection, against the emulator with a latency rule longer than the
 * timeout (a hung service). What each stopped operation answers, and what it leaves: never a job nobody tracks.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import {
  CheckRequest, CreateRequest, DeleteRequest, DiffRequest, ErrorResourceInitFailed, ReadRequest, UpdateRequest,
  type CheckResponse, type CreateResponse, type DiffResponse, type ReadResponse, type UpdateResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marshal, unmarshal } from "../../../provider/native/marshal";
import { goDuration } from "../../../provider/native/operation-stop";
import { CREATE_MARKER_PREFIX } from "../../../provider/importexport/create-marker";
import { parseManifest } from "../../../sdk/manifest";
import { ImportExportClient } from "../../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { configuredPlugin, rpc } from "./plugin-client";

const TOKEN = "importexport:index:ImportExportJob";
const urnOf = (name: string) => `urn:pulumi:test::native::${TOKEN}::${name}`;
/** The latency of the hung operation: far longer than the timeouts (1 s) and the test's wait for the answer. */
const HANG_MS = 8_000;

const manifest = (deviceId: string, postalCode = "98101") => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode, phoneNumber: "206-555-1111", country: "USA" },
});

/** One plugin server and its client (Cancel is for the whole process: each test that cancels gets its own). */
async function startPlugin(emu: TestEmulator) {
  const { client, close } = await configuredPlugin(emu);
  return {
    client,
    close,
    async check(name: string, news: Record<string, unknown>) {
      const req = new CheckRequest();
      req.setUrn(urnOf(name));
      req.setOlds(marshal({}));
      req.setNews(marshal(news));
      const res = await rpc<CheckResponse>((cb) => client.check(req, cb));
      expect(res.getFailuresList()).toEqual([]);
      return unmarshal(res.getInputs()).values;
    },
    create(name: string, inputs: Record<string, unknown>, timeout = 0) {
      const req = new CreateRequest();
      req.setUrn(urnOf(name));
      req.setProperties(marshal(inputs));
      req.setTimeout(timeout);
      return rpc<CreateResponse>((cb) => client.create(req, cb));
    },
    diff(name: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const req = new DiffRequest();
      req.setUrn(urnOf(name));
      req.setId(id);
      req.setOlds(marshal(olds));
      req.setNews(marshal(news));
      return rpc<DiffResponse>((cb) => client.diff(req, cb));
    },
    update(name: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>, timeout = 0) {
      const req = new UpdateRequest();
      req.setUrn(urnOf(name));
      req.setId(id);
      req.setOlds(marshal(olds));
      req.setNews(marshal(news));
      req.setTimeout(timeout);
      return rpc<UpdateResponse>((cb) => client.update(req, cb));
    },
    delete(name: string, id: string, state: Record<string, unknown>, timeout = 0) {
      const req = new DeleteRequest();
      req.setUrn(urnOf(name));
      req.setId(id);
      req.setProperties(marshal(state));
      req.setTimeout(timeout);
      return rpc<Empty>((cb) => client.delete(req, cb));
    },
    read(name: string, id: string, state: Record<string, unknown>, timeout = 0) {
      const req = new ReadRequest();
      req.setUrn(urnOf(name));
      req.setId(id);
      req.setProperties(marshal(state));
      req.setTimeout(timeout);
      return rpc<ReadResponse>((cb) => client.read(req, cb));
    },
    cancel: () => rpc<Empty>((cb) => client.cancel(new Empty(), cb)),
  };
}

/** Runs `steps` with a fresh plugin against an emptied emulator; the faults are cleared and the plugin closed after. */
async function withPlugin(emu: TestEmulator, steps: (p: Awaited<ReturnType<typeof startPlugin>>) => Promise<void>): Promise<void> {
  await emu.admin.reset();
  const p = await startPlugin(emu);
  try {
    await steps(p);
  } finally {
    await emu.admin.clearFaults();
    await p.close();
  }
}

/** The error of a call that must fail. */
async function failureOf(p: Promise<unknown>): Promise<grpc.ServiceError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: grpc.ServiceError) => e,
  );
}

/** The ErrorResourceInitFailed in a failed call's status details, if any. */
function initFailure(e: grpc.ServiceError): ErrorResourceInitFailed | undefined {
  const bin = e.metadata.get("grpc-status-details-bin")[0];
  if (!(bin instanceof Buffer)) return undefined;
  const detail = Status.deserializeBinary(bin).getDetailsList()[0];
  return detail?.getTypeName() === "pulumirpc.ErrorResourceInitFailed" ? ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8()) : undefined;
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the emulator holds `n` jobs (a hung CreateJob runs when its latency is over). */
async function untilJobs(emu: TestEmulator, n: number): Promise<void> {
  for (let i = 0; i < 200 && (await emu.admin.jobs()).length < n; i++) await settle(100);
}

describe("timeouts and Cancel of the plugin's operations", () => {
  let emu: TestEmulator;
  let direct: ImportExportClient;
  beforeAll(async () => {
    emu = await startTestEmulator();
    direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
  });
  afterAll(async () => {
    await direct?.destroy();
    await emu?.close();
  });

  it("the timeout is named as customTimeouts takes it", () => {
    expect([2, 0.5, 90, 120, 3600, 5400.5].map(goDuration)).toEqual(["2s", "500ms", "1m30s", "2m0s", "1h0m0s", "1h30m0.5s"]);
  });

  it("a Create whose CreateJob hangs fails at its timeout; the stack keeps an unresolved create, and the next Create adopts the job it made", async () => {
    await withPlugin(emu, async (p) => {
      const inputs = await p.check("photos", { jobType: "Import", manifest: manifest("HUNG-1") });
      await emu.admin.setFaults({ action: "CreateJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
      const started = Date.now();
      const e = await failureOf(p.create("photos", inputs, 1));
      expect(Date.now() - started).toBeLessThan(HANG_MS / 2);
      expect(e.details).toMatch(/^ImportExportJob photos: create timed out after 1s \(customTimeouts\), and the service calls in flight were stopped\. CreateJob had been sent/);
      expect(e.details).toContain("the next `pulumi up` looks for the job that request made");
      expect(e.details).toContain("raise customTimeouts.create");
      // Kept in the stack: an init failure whose id is the unresolved create's, with the marker the request carried.
      const failed = initFailure(e);
      const id = failed?.getId() ?? "";
      expect(id).toMatch(/^unresolved-create-[0-9a-f]{16}$/);
      const state = unmarshal(failed?.getProperties()).values;
      const record = state["unresolvedCreate"] as { marker: string; sentAt: string };
      expect(record.marker).toBe(`${CREATE_MARKER_PREFIX}${id.slice("unresolved-create-".length)}`);
      expect(state["jobType"]).toBe("Import");

      // The next up, while the request is still held: the diff replaces the record, and its create refuses to make a
      // job that could be a second one.
      const d = await p.diff("photos", id, state, inputs);
      expect(d.getReplacesList()).toEqual(["jobId"]);
      expect(d.getDiffsList()).toEqual(["jobId"]); // the inputs are those of the stopped create: nothing else changed
      const early = await failureOf(p.create("photos", inputs));
      expect(early.details).toMatch(/no job from that request exists yet; the service may still make it, so creating one now would risk a second job/);
      expect(await emu.admin.jobs()).toEqual([]);

      // The service made the job when the latency was over; the next up adopts it: one job, tracked.
      await emu.admin.clearFaults();
      await untilJobs(emu, 1);
      const [made] = await emu.admin.jobs();
      expect(parseManifest((await direct.getStatus({ JobId: made!.jobId })).CurrentManifest ?? "").generator).toBe(record.marker);
      await p.diff("photos", id, state, inputs);
      const res = await p.create("photos", inputs);
      expect(res.getId()).toBe(made?.jobId);
      expect(unmarshal(res.getProperties()).values["status"]).toMatchObject({ progressCode: "Pending" });
      // Adopted and brought to the inputs (UpdateJob while Pending): it no longer carries the stopped create's marker.
      expect(parseManifest((await direct.getStatus({ JobId: made!.jobId })).CurrentManifest ?? "").generator).toBeUndefined();
      // The replaced record is deleted: nothing to cancel, the adopted job stays.
      await p.delete("photos", id, state);
      const jobs = await emu.admin.jobs();
      // One job in all (Check's CreateJob with ValidateOnly makes none).
      expect(jobs.map((j) => [j.jobId, j.isCanceled])).toEqual([[made?.jobId, false]]);
    });
  }, 60_000);

  it("destroying an unresolved create cancels the job its request made", async () => {
    await withPlugin(emu, async (p) => {
      const inputs = await p.check("solo", { jobType: "Import", manifest: manifest("HUNG-2") });
      await emu.admin.setFaults({ action: "CreateJob", kind: "latency", latencyMs: 2_000, count: 1 });
      const failed = initFailure(await failureOf(p.create("solo", inputs, 1)));
      await untilJobs(emu, 1);
      await p.delete("solo", failed?.getId() ?? "", unmarshal(failed?.getProperties()).values);
      expect((await emu.admin.jobs()).map((j) => j.isCanceled)).toEqual([true]);
    });
  }, 60_000);

  it("an Update whose UpdateJob hangs fails at its timeout, saying the stack keeps the previous inputs; the same edit then applies", async () => {
    await withPlugin(emu, async (p) => {
      const olds = await p.check("edit", { jobType: "Import", manifest: manifest("UPD-1") });
      const created = await p.create("edit", olds);
      const id = created.getId();
      const state = unmarshal(created.getProperties()).values;
      const news = await p.check("edit", { jobType: "Import", manifest: manifest("UPD-1", "98102") });
      await emu.admin.setFaults({ action: "UpdateJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
      const started = Date.now();
      const e = await failureOf(p.update("edit", id, state, news, 1));
      expect(Date.now() - started).toBeLessThan(HANG_MS / 2);
      expect(e.details).toMatch(new RegExp(`^ImportExportJob edit: update timed out after 1s \\(customTimeouts\\), and the service calls in flight were stopped\\. UpdateJob for job ${id} was stopped before it finished`));
      expect(e.details).toContain("The stack keeps the previous inputs, so the next preview shows the edit again");
      expect(initFailure(e)).toBeUndefined();
      await emu.admin.clearFaults();
      const res = await p.update("edit", id, state, news);
      expect(unmarshal(res.getProperties()).values["jobId"]).toBe(id);
      expect((await direct.getStatus({ JobId: id })).CurrentManifest).toContain("postalCode: 98102");
    });
  }, 60_000);

  it("a Delete whose CancelJob hangs fails at its timeout: the job stays (the engine keeps it)", async () => {
    await withPlugin(emu, async (p) => {
      const inputs = await p.check("gone", { jobType: "Import", manifest: manifest("DEL-1") });
      const created = await p.create("gone", inputs);
      const id = created.getId();
      await emu.admin.setFaults({ action: "CancelJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
      const e = await failureOf(p.delete("gone", id, unmarshal(created.getProperties()).values, 1));
      expect(e.details).toMatch(new RegExp(`^ImportExportJob gone: delete timed out after 1s \\(customTimeouts\\).*CancelJob for job ${id} was stopped before it finished.*The job stays in the stack`));
    });
  }, 60_000);

  it("a Read (refresh) whose GetStatus hangs fails at its timeout; the stack keeps what it had", async () => {
    await withPlugin(emu, async (p) => {
      const inputs = await p.check("seen", { jobType: "Import", manifest: manifest("READ-1") });
      const created = await p.create("seen", inputs);
      await emu.admin.setFaults({ action: "GetStatus", kind: "latency", latencyMs: HANG_MS, count: 1 });
      const e = await failureOf(p.read("seen", created.getId(), unmarshal(created.getProperties()).values, 1));
      expect(e.details).toMatch(new RegExp(`^ImportExportJob seen: read timed out after 1s \\(customTimeouts\\).*GetStatus for job ${created.getId()} was stopped before it finished.*The stack keeps the state it had`));
    });
  }, 60_000);

  it("Cancel stops a Create in flight: its CreateJob is cut, the create is recorded as unresolved, later calls are refused", async () => {
    await withPlugin(emu, async (p) => {
      const inputs = await p.check("stopped", { jobType: "Import", manifest: manifest("CANCEL-1") });
      await emu.admin.setFaults({ action: "CreateJob", kind: "latency", latencyMs: HANG_MS, count: 1 });
      const started = Date.now();
      const call = failureOf(p.create("stopped", inputs)); // no timeout: only Cancel can stop it
      while ((await emu.admin.stats()).byAction["CreateJob"] === undefined) await settle(20);
      await p.cancel();
      const e = await call;
      expect(Date.now() - started).toBeLessThan(HANG_MS / 2);
      expect(e.details).toMatch(/^ImportExportJob stopped: create was cancelled by the engine \(Cancel\), and the service calls in flight were stopped\. CreateJob had been sent/);
      expect(initFailure(e)?.getId()).toMatch(/^unresolved-create-/);
      const later = await failureOf(p.check("stopped", { jobType: "Import", manifest: manifest("CANCEL-2") }));
      expect(later.code).toBe(grpc.status.CANCELLED);
    });
  }, 60_000);
});
