/**
 * Issue 21, item 6: IotJob's auto-named jobId is derived from the URN (and, for a replacement, the jobId replaced),
 * so `pulumi preview` and `pulumi up` — two provider processes — name the job the same; and it travels in the
 * internal input `__jobId`, which the engine never displays as a user change. The runtime's check/diff are called as
 * the engine calls them (check with olds → diff → re-check without olds for a replacement); no service call is made.
 */
import { describe, expect, it } from "vitest";
import { AUTO_JOB_ID, AUTO_NAME_SEED, autoJobId, autoNameBasis, fromEngine, toEngine } from "../../../provider/iot/autoname";
import * as runtime from "../../../provider/iot/runtime";
import { UNKNOWN } from "../../../provider/core/policy";

const URN = "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic/importexport:IotJob::rollout";
const GROUP = "arn:aws:iot:us-east-1:111111111111:thinggroup/fleet";
const program = (document: string, seed: unknown = URN) => ({ targets: [GROUP], document, autoNamePrefix: "rollout", [AUTO_NAME_SEED]: seed });

describe("IotJob auto-names", () => {
  it("are the same for the same URN (preview and up), differ per URN, and are not a displayed input", async () => {
    const a = await runtime.check({}, program("{}"));
    const b = await runtime.check({}, program("{}"));
    expect(a.failures ?? []).toEqual([]);
    expect(a.inputs[AUTO_JOB_ID]).toBe(autoJobId("rollout", autoNameBasis(URN, undefined)));
    expect(a.inputs[AUTO_JOB_ID]).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(b.inputs[AUTO_JOB_ID]).toBe(a.inputs[AUTO_JOB_ID]);
    expect(a.inputs["jobId"]).toBeUndefined();
    expect(a.inputs).toMatchObject({ jobIdAutoNamed: true, [AUTO_NAME_SEED]: URN });
    const other = await runtime.check({}, program("{}", `${URN}2`));
    expect(other.inputs[AUTO_JOB_ID]).not.toBe(a.inputs[AUTO_JOB_ID]);
  });

  it("a replacement gets a new name derived from the one it replaces; both engine processes derive the same", async () => {
    const seed = `${URN}-replaced`;
    const first = await runtime.check({}, program("{}", seed));
    const oldId = String(first.inputs[AUTO_JOB_ID]);
    const outputs = { ...fromEngine(first.inputs), job: { jobArn: `arn:aws:iot:us-east-1:111111111111:job/${oldId}` } };
    // The document changes: check with olds keeps the name, diff decides the replacement, the re-check names anew.
    const kept = await runtime.check(first.inputs, program('{"v":2}', seed));
    expect(kept.inputs[AUTO_JOB_ID]).toBe(oldId);
    const d = await runtime.diff(oldId, outputs, kept.inputs);
    expect(d).toMatchObject({ changes: true, replaces: ["document"], deleteBeforeReplace: false });
    const renamed = await runtime.check({}, program('{"v":2}', seed));
    const newId = renamed.inputs[AUTO_JOB_ID];
    expect(newId).toBe(autoJobId("rollout", autoNameBasis(seed, oldId)));
    expect(newId).not.toBe(oldId);
    // The displayed inputs of the old and the new resource differ only in the document.
    const shown = (bag: Record<string, unknown>) => Object.fromEntries(Object.entries(bag).filter(([k]) => !k.startsWith("__")));
    const changed = Object.keys({ ...shown(first.inputs), ...shown(renamed.inputs) }).filter(
      (k) => JSON.stringify(shown(first.inputs)[k]) !== JSON.stringify(shown(renamed.inputs)[k]),
    );
    expect(changed).toEqual(["document"]);
  });

  it("an unchanged program is no change, whatever form the old inputs have", async () => {
    const c = await runtime.check({}, program("{}"));
    const outputs = { ...fromEngine(c.inputs), job: {} };
    const again = await runtime.check(c.inputs, program("{}"));
    expect(again.inputs).toEqual(c.inputs);
    expect(await runtime.diff(String(c.inputs[AUTO_JOB_ID]), outputs, again.inputs)).toMatchObject({ changes: false });
    // A state written before __jobId keeps its visible jobId input (no spurious `-jobId` in the display).
    const legacy = { targets: [GROUP], document: "{}", autoNamePrefix: "rollout", jobId: "rollout-abc1234", jobIdAutoNamed: true };
    const fromLegacy = await runtime.check(legacy, program("{}"));
    expect(fromLegacy.inputs).toMatchObject({ jobId: "rollout-abc1234", jobIdAutoNamed: true });
    expect(fromLegacy.inputs[AUTO_JOB_ID]).toBeUndefined();
  });

  it("while the URN is unknown the name is unknown (decided at up), and a user's jobId is kept visible", async () => {
    expect((await runtime.check({}, program("{}", UNKNOWN))).inputs[AUTO_JOB_ID]).toBe(UNKNOWN);
    const fixed = await runtime.check({}, { ...program("{}"), jobId: "fw-1" });
    expect(fixed.inputs).toMatchObject({ jobId: "fw-1" });
    expect(fixed.inputs[AUTO_JOB_ID]).toBeUndefined();
    expect(toEngine({ jobId: "fw-1" })).toEqual({ jobId: "fw-1" });
  });

  it("the prefix counts only for a generated jobId: beside the user's own (an imported job has none) it is no change", async () => {
    // The state an import leaves: the job's own jobId, no autoNamePrefix; check then gives the program's inputs one.
    const imported = { targets: [GROUP], document: "{}", jobId: "fw-1", job: {} };
    const checked = await runtime.check({ targets: [GROUP], document: "{}", jobId: "fw-1" }, { ...program("{}"), jobId: "fw-1" });
    expect(checked.inputs).toMatchObject({ autoNamePrefix: "rollout" });
    expect(await runtime.diff("fw-1", imported, checked.inputs)).toMatchObject({ changes: false });
    // A generated jobId keeps its prefix: a renamed resource is an in-place change (no API call).
    const c = await runtime.check({}, program("{}"));
    const outputs = { ...fromEngine(c.inputs), job: {} };
    const renamed = await runtime.check(c.inputs, { ...program("{}"), autoNamePrefix: "renamed" });
    expect(await runtime.diff(String(c.inputs[AUTO_JOB_ID]), outputs, renamed.inputs)).toMatchObject({ changes: true, replaces: [] });
  });
});
