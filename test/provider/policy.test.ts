/**
 * Table tests for the update-vs-replace mechanism (provider/policy) and the Import/Export table
 * (provider/importexport-policy). Pure functions: every case is a row.
 */
import { describe, expect, it } from "vitest";
import { progressCodes, type ProgressCode } from "../../sdk/model";
import { importExportJobPolicy as policy } from "../../provider/importexport-policy";
import {
  UNKNOWN,
  changedFields,
  containsUnknown,
  decideDelete,
  decideDiff,
  deepEqual,
  needsLiveState,
  type LiveState,
  type ResourcePolicy,
} from "../../provider/policy";

const manifestA = "manifestVersion: 2.0\ndeviceId: A\n";
const manifestB = "manifestVersion: 2.0\ndeviceId: B\n";
const base = { jobType: "Import", manifest: manifestA, __provider: "exports.handler = 1" };
const state = (s: ProgressCode): LiveState<ProgressCode> => ({ kind: "state", state: s });
const gone: LiveState<ProgressCode> = { kind: "gone" };

describe("changedFields", () => {
  it.each([
    ["nothing changed", {}, []],
    ["only the serialized provider changed", { __provider: "exports.handler = 2" }, []],
    ["manifest edited", { manifest: manifestB }, ["manifest"]],
    ["jobType and manifest", { jobType: "Export", manifest: manifestB }, ["jobType", "manifest"]],
    ["cancelInProgress set", { cancelInProgress: true }, ["cancelInProgress"]],
    ["adoptJobId set", { adoptJobId: "ABCDE" }, ["adoptJobId"]],
    ["shippingLabel removed from absent stays absent", { shippingLabel: undefined }, []],
    ["a field the table does not list", { surprise: 1 }, ["surprise"]],
  ] as const)("%s", (_name, edit, expected) => {
    const news = { ...base, ...edit };
    expect(changedFields(policy, base, news).map((c) => c.field)).toEqual(expected);
  });

  it("counts an unknown value as a change even when the old value looks equal", () => {
    const changes = changedFields(policy, base, { ...base, manifest: UNKNOWN });
    expect(changes).toEqual([{ field: "manifest", unknown: true }]);
    const nested = changedFields(policy, { ...base, shippingLabel: { name: "x" } }, { ...base, shippingLabel: { name: UNKNOWN } });
    expect(nested).toEqual([{ field: "shippingLabel", unknown: true }]);
  });

  it("compares nested values structurally, ignoring key order", () => {
    const olds = { ...base, shippingLabel: { name: "Jane", city: "Seattle" } };
    expect(changedFields(policy, olds, { ...base, shippingLabel: { city: "Seattle", name: "Jane" } })).toEqual([]);
    expect(changedFields(policy, olds, { ...base, shippingLabel: { city: "Tacoma", name: "Jane" } }).map((c) => c.field)).toEqual([
      "shippingLabel",
    ]);
  });
});

describe("Import/Export diff table", () => {
  // [changed inputs, live state, expected replaces, expected updates]
  const rows: Array<[string, Record<string, unknown>, LiveState<ProgressCode>, string[], string[]]> = [
    ["manifest while Pending → update", { manifest: manifestB }, state("Pending"), [], ["manifest"]],
    ["jobType while Pending → update", { jobType: "Export" }, state("Pending"), [], ["jobType"]],
    ["manifest while InProgress → replace", { manifest: manifestB }, state("InProgress"), ["manifest"], []],
    ["manifest when Complete → replace", { manifest: manifestB }, state("Complete"), ["manifest"], []],
    ["manifest when SuccessWithErrors → replace", { manifest: manifestB }, state("SuccessWithErrors"), ["manifest"], []],
    ["manifest after DeviceError → replace", { manifest: manifestB }, state("DeviceError"), ["manifest"], []],
    ["manifest and jobType when gone → replace both", { manifest: manifestB, jobType: "Export" }, gone, ["jobType", "manifest"], []],
    ["cancelInProgress while InProgress → update (state only)", { cancelInProgress: true }, state("InProgress"), [], ["cancelInProgress"]],
    ["adoptJobId while Pending → replace", { adoptJobId: "ABCDE" }, state("Pending"), ["adoptJobId"], []],
    [
      "manifest + cancelInProgress while InProgress → replace naming only manifest",
      { manifest: manifestB, cancelInProgress: true },
      state("InProgress"),
      ["manifest"],
      ["cancelInProgress"],
    ],
    ["shippingLabel while Pending → update", { shippingLabel: { name: "Jane" } }, state("Pending"), [], ["shippingLabel"]],
    ["unknown manifest while Pending → update", { manifest: UNKNOWN }, state("Pending"), [], ["manifest"]],
    ["unknown adoptJobId → replace", { adoptJobId: UNKNOWN }, { kind: "not-read" }, ["adoptJobId"], []],
  ];
  it.each(rows)("%s", (_name, edit, live, replaces, updates) => {
    const changes = changedFields(policy, base, { ...base, ...edit });
    const d = decideDiff(policy, changes, live);
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual(replaces);
    expect(d.updates).toEqual(updates);
  });

  it("no change → changes:false, and no live state is needed", () => {
    const changes = changedFields(policy, base, { ...base, __provider: "new code" });
    expect(needsLiveState(policy, changes)).toBe(false);
    expect(decideDiff(policy, changes, { kind: "not-read" })).toMatchObject({ changes: false, replaces: [] });
  });

  it.each([
    [{ cancelInProgress: true }, false],
    [{ adoptJobId: "ABCDE" }, false],
    [{ manifest: manifestB }, true],
    [{ jobType: "Export", cancelInProgress: false }, true],
  ] as const)("needsLiveState(%o) = %s", (edit, expected) => {
    expect(needsLiveState(policy, changedFields(policy, base, { ...base, ...edit }))).toBe(expected);
  });

  it("a different endpoint replaces even without input changes", () => {
    const d = decideDiff(policy, [], { kind: "not-read" }, { field: "endpoint", from: "http://a", to: "http://b" });
    expect(d).toMatchObject({ changes: true, replaces: ["endpoint"] });
  });

  it("says why in words a user can act on", () => {
    const d = decideDiff(policy, changedFields(policy, base, { ...base, manifest: manifestB }), state("InProgress"));
    expect(d.reason).toBe("manifest can change in place only while Pending, and it is InProgress");
  });
});

describe("Import/Export delete table", () => {
  const rows: Array<[ProgressCode, boolean, "cancel" | "release" | "gone"]> = [
    ["Pending", false, "cancel"],
    ["Pending", true, "cancel"],
    ["InProgress", false, "release"],
    ["InProgress", true, "cancel"],
    ["Complete", false, "release"],
    ["Complete", true, "release"],
    ["SuccessWithErrors", true, "release"],
    ["DeviceError", true, "release"],
    ["UnsupportedPowerSupply", false, "release"],
    ["Canceled", false, "gone"],
    ["Expired", true, "gone"],
  ];
  it.each(rows)("%s with cancelInProgress=%s → %s", (code, optIn, expected) => {
    expect(decideDelete(policy, state(code), { cancelInProgress: optIn }).kind).toBe(expected);
  });

  it("a job that cannot be found is gone", () => {
    expect(decideDelete(policy, gone, {}).kind).toBe("gone");
  });

  it("covers every known ProgressCode explicitly", () => {
    for (const code of progressCodes) expect(policy.deleteRules[code], code).toBeDefined();
  });

  it("never cancels a state the table does not know", () => {
    const d = decideDelete(policy, { kind: "state", state: "Teleported" as ProgressCode }, { cancelInProgress: true });
    expect(d.kind).toBe("release");
  });

  it("only a literal true opts into cancelling InProgress", () => {
    expect(decideDelete(policy, state("InProgress"), { cancelInProgress: "true" }).kind).toBe("release");
    expect(decideDelete(policy, state("InProgress"), { cancelInProgress: UNKNOWN }).kind).toBe("release");
  });

  it("release reasons name what happens to the job", () => {
    const d = decideDelete(policy, state("InProgress"), {});
    expect(d).toMatchObject({ kind: "release" });
    if (d.kind === "release") expect(d.why).toContain("cancelInProgress: true");
  });
});

describe("the mechanism knows no service", () => {
  type Phase = "QUEUED" | "IN_PROGRESS" | "DELETED";
  const iot: ResourcePolicy<Phase> = {
    fields: { description: { kind: "updatable-while", states: ["QUEUED", "IN_PROGRESS"] }, document: { kind: "replace-always" } },
    goneStates: ["DELETED"],
    deleteRules: { QUEUED: { kind: "cancel" }, IN_PROGRESS: { kind: "cancel-if", optIn: "force", why: "running" } },
    defaultDeleteRule: { kind: "gone" },
  };
  it("applies another table the same way", () => {
    const olds = { description: "a", document: "d" };
    expect(decideDiff(iot, changedFields(iot, olds, { ...olds, description: "b" }), { kind: "state", state: "IN_PROGRESS" }).updates).toEqual([
      "description",
    ]);
    expect(decideDiff(iot, changedFields(iot, olds, { ...olds, document: "e" }), { kind: "state", state: "QUEUED" }).replaces).toEqual([
      "document",
    ]);
    expect(decideDelete(iot, { kind: "state", state: "IN_PROGRESS" }, { force: true }).kind).toBe("cancel");
    expect(decideDelete(iot, { kind: "state", state: "DELETED" }, {}).kind).toBe("gone");
  });
});

describe("helpers", () => {
  it.each([
    [UNKNOWN, true],
    [{ a: [1, { b: UNKNOWN }] }, true],
    [{ a: [1, { b: "x" }] }, false],
    [null, false],
  ] as const)("containsUnknown(%o) = %s", (v, expected) => expect(containsUnknown(v)).toBe(expected));

  it.each([
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: null }, {}, true],
    [[1, 2], [2, 1], false],
    [{ a: { b: [1] } }, { a: { b: [1] } }, true],
    [{ a: "1" }, { a: 1 }, false],
  ] as const)("deepEqual(%o, %o) = %s", (a, b, expected) => expect(deepEqual(a, b)).toBe(expected));
});
