/**
 * The generic runtime (provider/mechanism) driven by a table and an adapter. The adapter here is an in-memory
 * service of the IoT-Jobs shape (../shared/spec/iot-jobs.md §3–4): a second resource must fit the mechanism without
 * new branches, and the mechanism's rules (unknown state, gone, moved on, multi-step destroy) must hold for any
 * table. The Import/Export table runs against the real emulator in runtime.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ProviderError, resourceMechanism, type CallRequest, type ServiceAdapter } from "../../../provider/core/mechanism";
import { iotShapedPolicy, type IotCall } from "../../helpers/iot-shaped-policy";

type Call = IotCall;
const table = iotShapedPolicy;

class ServiceError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** An in-memory job service: one job, its status, the calls it received, and a script of what happens next. */
function service(initial: string | undefined, opts: { settleAfterReads?: number; failWith?: Partial<Record<Call | "describe", string>> } = {}) {
  let status: string | undefined = initial;
  let exists = true;
  let pending: string | undefined; // a status the job reaches after `settleAfterReads` reads (eventual consistency)
  let reads = 0;
  const calls: Array<{ call: Call; req: CallRequest<Call> }> = [];
  const warnings: string[] = [];
  const adapter: ServiceAdapter<Call, { status?: string }> = {
    statusCall: "DescribeJob",
    async describe() {
      reads++;
      if (opts.failWith?.describe) throw new ServiceError(opts.failWith.describe, "describe failed");
      if (!exists) throw new ServiceError("ResourceNotFoundException", "no such job");
      if (pending !== undefined && reads > (opts.settleAfterReads ?? 0)) {
        status = pending;
        pending = undefined;
      }
      return { state: status, status: status !== undefined ? { status } : {} };
    },
    async perform(call, req) {
      calls.push({ call, req });
      const code = opts.failWith?.[call];
      if (code) throw new ServiceError(code, `${call} refused`);
      reads = 0;
      if (call === "CancelJob") pending = "CANCELED";
      if (call === "DeleteJob") pending = "DELETION_IN_PROGRESS";
      if (opts.settleAfterReads === undefined && pending) {
        status = pending;
        pending = undefined;
      }
      if (call === "DeleteJob" && opts.settleAfterReads === -1) exists = false;
      return call === "UpdateJob" ? { warning: "noted" } : {};
    },
    errorCode: (e) => (e instanceof ServiceError ? e.code : undefined),
    errorMessage: (e) => (e instanceof Error ? e.message : String(e)),
    describeError: (op, id, e) => `${op} for job ${id} failed: ${(e as Error).message}`,
    warn: (m) => void warnings.push(m),
  };
  return { adapter, calls, warnings, reads: () => reads, m: resourceMechanism(table, adapter, { poll: { attempts: 3, intervalMs: 1 } }) };
}

/** The checked inputs, and the state (inputs plus outputs such as jobArn) that diff/update/delete receive as olds. */
const inputs = { jobId: "fw-1", targets: ["arn:a", "arn:b"], description: "a", tags: { team: "x", old: "1" } };
const olds = { ...inputs, jobArn: "arn:aws:iot:us-east-1:111111111111:job/fw-1", status: "IN_PROGRESS", __provider: "p" };

describe("diff through the mechanism", () => {
  it("no change (targets reordered, __provider changed) → no change and no read", async () => {
    const s = service("IN_PROGRESS");
    expect(await s.m.diff("fw-1", olds, { ...inputs, targets: ["arn:b", "arn:a"], __provider: "q" })).toEqual({ changes: false });
    expect(s.reads()).toBe(0);
  });

  it("an always-updatable field → update without reading the state", async () => {
    const s = service("COMPLETED");
    expect(await s.m.diff("fw-1", olds, { ...inputs, description: "b" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(s.reads()).toBe(0);
  });

  it("a static replace with a user-fixed id → deleteBeforeReplace", async () => {
    const s = service("IN_PROGRESS");
    expect(await s.m.diff("fw-1", olds, { ...inputs, targets: ["arn:c"] })).toEqual({ changes: true, replaces: ["targets"], deleteBeforeReplace: true });
  });

  it.each([
    ["no status reported", undefined, "in an unknown state (no status reported)"],
    ["an unknown status", "PAUSED", "in an unknown state (status PAUSED)"],
  ])("a state-dependent field with %s → replace, saying why", async (_n, code, where) => {
    const s = service(code);
    const d = await s.m.decide("fw-1", olds, { ...inputs, timeoutConfig: { inProgressTimeoutInMinutes: 5 } });
    expect(d).toMatchObject({ replaces: ["timeoutConfig"], reason: `timeoutConfig can change in place only while SCHEDULED or IN_PROGRESS, and it is ${where}` });
  });

  it("gone by error code → replace everything changed", async () => {
    const s = service("IN_PROGRESS", { failWith: { describe: "ResourceNotFoundException" } });
    expect((await s.m.decide("fw-1", olds, { ...inputs, timeoutConfig: {} })).replaces).toEqual(["timeoutConfig"]);
  });

  it("another error while reading → one-line ProviderError naming the call", async () => {
    const s = service("IN_PROGRESS", { failWith: { describe: "ThrottlingException" } });
    const err = await s.m.diff("fw-1", olds, { ...inputs, timeoutConfig: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe("DescribeJob for job fw-1 failed: describe failed");
    expect((err as Error).stack).toBe("");
  });
});

describe("update through the mechanism", () => {
  it("runs the table's calls in order, with the map delta, and keeps state-only changes out of every call", async () => {
    const s = service("IN_PROGRESS");
    const news = { ...inputs, description: "b", tags: { team: "y" }, forceCancel: true };
    const out = await s.m.update("fw-1", olds, news);
    expect(s.calls.map((c) => [c.call, c.req.step?.fields, c.req.step?.map])).toEqual([
      ["UpdateJob", ["description"], undefined],
      ["TagResource", ["tags"], { field: "tags", set: { team: "y" } }],
      ["UntagResource", ["tags"], { field: "tags", unset: ["old"] }],
    ]);
    expect(out.plan.stateOnly).toEqual(["forceCancel"]);
    expect(out.results[0]).toEqual({ call: "UpdateJob", result: { warning: "noted" } });
    expect(s.calls[0]?.req.inputs).not.toHaveProperty("__provider");
  });

  it("a call refused because the job moved on → says `pulumi up` again replaces it", async () => {
    const s = service("COMPLETED", { failWith: { UpdateJob: "InvalidRequestException" } });
    await expect(s.m.update("fw-1", olds, { ...inputs, description: "b" })).rejects.toThrow(
      "IoT job fw-1 is COMPLETED, so its description can no longer be updated; run `pulumi up` again to replace it.",
    );
  });

  it("a gone job → says refresh, then up", async () => {
    const s = service("COMPLETED", { failWith: { UpdateJob: "ResourceNotFoundException" } });
    await expect(s.m.update("fw-1", olds, { ...inputs, description: "b" })).rejects.toThrow(/can no longer be updated: UpdateJob refused \(ResourceNotFoundException\)\. Run `pulumi refresh`/);
  });
});

describe("delete through the mechanism", () => {
  it("multi-step: CancelJob, re-read, DeleteJob, re-read, gone", async () => {
    const s = service("SCHEDULED");
    await s.m.delete("fw-1", olds);
    expect(s.calls.map((c) => c.call)).toEqual(["CancelJob", "DeleteJob"]);
    expect(s.warnings).toEqual([]);
  });

  it("waits (polls) while the status has not moved on yet", async () => {
    const s = service("CANCELED", { settleAfterReads: 2 });
    await s.m.delete("fw-1", olds);
    expect(s.calls.map((c) => c.call)).toEqual(["DeleteJob"]);
  });

  it("fails clearly when the status never moves on", async () => {
    const s = service("CANCELED", { settleAfterReads: 99 });
    await expect(s.m.delete("fw-1", olds)).rejects.toThrow("IoT job fw-1 is still CANCELED after DeleteJob; run the command again to continue.");
  });

  it("opt-in: an in-progress job is released unless forceCancel", async () => {
    const s = service("IN_PROGRESS");
    await s.m.delete("fw-1", olds);
    expect(s.calls).toEqual([]);
    expect(s.warnings).toEqual([
      "IoT job fw-1 (status IN_PROGRESS) was not deleted: devices are running it. It is released from the stack and left as it is in the service.",
    ]);
    const f = service("IN_PROGRESS");
    await f.m.delete("fw-1", { ...olds, forceCancel: true });
    expect(f.calls.map((c) => c.call)).toEqual(["CancelJob", "DeleteJob"]);
  });

  it.each([
    ["no status", undefined, "unknown"],
    ["an unknown status", "PAUSED", "PAUSED"],
  ])("never calls anything for %s (the unknown-state rule), even with the opt-in", async (_n, code, shown) => {
    const s = service(code);
    await s.m.delete("fw-1", { ...olds, forceCancel: true });
    expect(s.calls).toEqual([]);
    expect(s.warnings).toEqual([
      `IoT job fw-1 (status ${shown}) was not deleted: its status is not one this provider knows. It is released from the stack and left as it is in the service.`,
    ]);
  });

  it("a moved-on refusal releases with a warning; a gone answer is success", async () => {
    const s = service("COMPLETED", { failWith: { DeleteJob: "InvalidStateTransitionException" } });
    await s.m.delete("fw-1", olds);
    expect(s.warnings[0]).toMatch(/^IoT job fw-1 could not be deleted \(InvalidStateTransitionException: DeleteJob refused\)/);
    const g = service("COMPLETED", { failWith: { DeleteJob: "ResourceNotFoundException" } });
    await expect(g.m.delete("fw-1", olds)).resolves.toBeUndefined();
    const gone = service("DELETION_IN_PROGRESS");
    await gone.m.delete("fw-1", olds);
    expect(gone.calls).toEqual([]);
  });

  it("a job that disappears after the call (404 on re-read) is done", async () => {
    const s = service("COMPLETED", { settleAfterReads: -1 });
    await s.m.delete("fw-1", olds);
    expect(s.calls.map((c) => c.call)).toEqual(["DeleteJob"]);
  });
});
