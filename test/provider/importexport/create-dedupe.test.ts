/**
 * One create, one job (issue 22 item 5): a server that creates the job and then answers 503 ServiceUnavailable or
 * Throttling (which the SDK retries, so each attempt creates another job) or a 500 (not retried: the job is left
 * behind an error). The provider, called as the dynamic-provider host calls it against a real emulator with
 * `after: true` fault rules, ends every case with exactly one live job per resource, tracked, and no orphan: the
 * extra jobs carrying its create marker are cancelled and a warning names them.
 * Before: 503/throttling-after gave 3 live jobs (1 tracked, 2 orphans); a 500-after failed the create with 1 orphan.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import * as runtime from "../../../provider/importexport/runtime";
import { startTestEmulator, type FaultRule, type TestEmulator } from "../../helpers/emulator";

const manifestObject = (deviceId: string) => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
});
const PROVIDER = "exports.handler = () => ({})";

let emu: TestEmulator;
let log: MockInstance<typeof console.log>;

async function configure(): Promise<void> {
  await runtime.resetForTests();
  const values: Record<string, string> = {
    "importexport:endpoint": emu.endpoint,
    "importexport:accessKeyId": emu.account.accessKeyId,
    "importexport:secretAccessKey": emu.account.secretAccessKey,
    "importexport:validateOnPreview": "false",
  };
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
}

/** check + create, as the engine does on `up`. */
async function create(deviceId: string): Promise<string> {
  const checked = await runtime.check({}, { jobType: "Import", manifest: manifestObject(deviceId), __provider: PROVIDER });
  return (await runtime.create({ ...checked.inputs, __provider: PROVIDER })).id;
}

/** The account's jobs, oldest first: live (not cancelled) and cancelled JobIds. */
async function jobs(): Promise<{ live: string[]; cancelled: string[] }> {
  const all = (await emu.admin.jobs()).sort((a, b) => a.createdAt - b.createdAt);
  return { live: all.filter((j) => !j.isCanceled).map((j) => j.jobId), cancelled: all.filter((j) => j.isCanceled).map((j) => j.jobId) };
}

const warnings = (): string[] => log.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith("warning: "));

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await runtime.resetForTests();
  await emu?.close();
});
beforeEach(async () => {
  await emu.admin.reset();
  await configure();
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(async () => {
  log.mockRestore();
  await emu.admin.clearFaults();
});

describe("CreateJob that creates and then answers a retryable error", () => {
  const retried: [string, Omit<FaultRule, "action" | "count">][] = [
    ["503 ServiceUnavailable", { kind: "error", status: 503, code: "ServiceUnavailable", after: true }],
    ["Throttling", { kind: "throttle", after: true }],
  ];

  it.each(retried)("%s twice, then success: keeps the answered job, cancels the 2 extra ones and says so", async (_name, rule) => {
    await emu.admin.setFaults({ action: "CreateJob", ...rule, count: 2 });
    const id = await create("D1");
    const { live, cancelled } = await jobs();
    expect(live).toEqual([id]); // 1 job per resource, tracked
    expect(cancelled).toHaveLength(2); // 0 orphans: the extra jobs are cancelled
    const w = warnings().join("\n");
    expect(w).toMatch(new RegExp(`CreateJob was answered after 3 attempts: this create made 3 jobs \\(same create marker\\); kept ${id}; cancelled ${cancelled.join(", ")} \\(CancelJob\\)`));
  });

  it.each(retried)("%s on every attempt: adopts the oldest job, cancels the others", async (_name, rule) => {
    await emu.admin.setFaults({ action: "CreateJob", ...rule });
    const id = await create("D1");
    const all = await emu.admin.jobs();
    expect(all).toHaveLength(3); // the SDK's 3 attempts each created one
    const oldest = [...all].sort((a, b) => a.createdAt - b.createdAt)[0]!;
    expect(id).toBe(oldest.jobId);
    const { live, cancelled } = await jobs();
    expect(live).toEqual([id]);
    expect(cancelled).toHaveLength(2);
    expect(warnings().join("\n")).toMatch(new RegExp(`CreateJob answered \\w+ after 3 attempt\\(s\\): this create made 3 jobs .*kept ${id}; cancelled ${cancelled.join(", ")}`));
  });

  it("a 500 InternalFailure after creating: the create adopts that job instead of failing with it orphaned", async () => {
    await emu.admin.setFaults({ action: "CreateJob", kind: "error", after: true, count: 1 });
    const id = await create("D1");
    expect(await jobs()).toEqual({ live: [id], cancelled: [] });
    expect(warnings().join("\n")).toContain(`CreateJob answered InternalFailure after 1 attempt(s); found the job it created, ${id}, and adopted it.`);
    // The adopted job is tracked like any other: read gives it back, without drift.
    const outs = await runtime.read(id, { jobType: "Import", manifest: "" });
    expect(outs.id).toBe(id);
  });

  it("a 500 before anything was created still fails the create, naming the error, and creates nothing", async () => {
    await emu.admin.setFaults({ action: "CreateJob", kind: "error", count: 1 });
    await expect(create("D1")).rejects.toThrow(/CreateJob failed: .*\(InternalFailure\)/);
    expect(await jobs()).toEqual({ live: [], cancelled: [] });
  });

  it("a 503 before creating, retried: one job, nothing cancelled, no warning", async () => {
    await emu.admin.setFaults({ action: "CreateJob", kind: "error", status: 503, code: "ServiceUnavailable", count: 1 });
    const id = await create("D1");
    expect(await jobs()).toEqual({ live: [id], cancelled: [] });
    expect(warnings()).toEqual([]);
  });

  it("another resource's job with an identical manifest is never cancelled (only this create's marker counts)", async () => {
    const first = await create("D1");
    await emu.admin.setFaults({ action: "CreateJob", kind: "error", status: 503, code: "ServiceUnavailable", after: true, count: 2 });
    const second = await create("D1");
    const { live, cancelled } = await jobs();
    expect(live).toEqual([first, second]);
    expect(cancelled).toHaveLength(2);
    expect(cancelled).not.toContain(first);
  });

  it("an extra job that cannot be cancelled is named in the warning, and the create still succeeds", async () => {
    await emu.admin.setFaults([
      { action: "CreateJob", kind: "throttle", after: true, count: 1 },
      { action: "CancelJob", kind: "error", code: "UnableToCancelJobIdException", status: 400 },
    ]);
    const id = await create("D1");
    const all = (await emu.admin.jobs()).map((j) => j.jobId);
    const extra = all.find((j) => j !== id)!;
    expect(all).toHaveLength(2);
    expect(warnings().join("\n")).toMatch(new RegExp(`kept ${id}; could NOT cancel ${extra} \\(.*\\(UnableToCancelJobIdException\\)\\): cancel it yourself`));
  });
});
