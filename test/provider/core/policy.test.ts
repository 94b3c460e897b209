/**
 * Table tests for the update-vs-replace mechanism (provider/policy) and the Import/Export table
 * (provider/importexport-policy). Pure functions: every case is a row.
 */
import { describe, expect, it } from "vitest";
import { progressCodes, type ProgressCode } from "../../../sdk/model";
import { importExportJobPolicy as policy } from "../../../provider/importexport/definition";
import { iotJobPolicy } from "../../../provider/iot/definition";
import {
  UNKNOWN,
  changedFields,
  containsUnknown,
  decideDelete,
  decideDiff,
  classifyState,
  deepEqual,
  fieldsSentBy,
  inputsOf,
  mapDelta,
  needsLiveState,
  planUpdate,
  setEqual,
  validatePolicy,
  type LiveState,
  type ResourcePolicy,
} from "../../../provider/core/policy";
import { checkInputs as normalizeInputs, type CheckedInputs, type ImportExportInput, type JobState } from "../../../provider/importexport/definition";
import type { ImportExportJobArgs } from "../../../provider/importexport/resource";
import { jobState } from "../../../provider/importexport/outputs";
import { iotShapedPolicy } from "../../helpers/iot-shaped-policy";

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
    const d = decideDiff(policy, [], { kind: "not-read" }, { target: { field: "endpoint", from: "http://a", to: "http://b" } });
    expect(d).toMatchObject({ changes: true, replaces: ["endpoint"] });
  });

  it("says why in words a user can act on", () => {
    const d = decideDiff(policy, changedFields(policy, base, { ...base, manifest: manifestB }), state("InProgress"));
    expect(d.reason).toBe("manifest can change in place only while Pending, and it is InProgress");
  });
});

describe("Import/Export delete table", () => {
  const rows: Array<[ProgressCode, boolean, "call" | "release" | "gone"]> = [
    ["Pending", false, "call"],
    ["Pending", true, "call"],
    ["InProgress", false, "release"],
    ["InProgress", true, "call"],
    ["Complete", false, "release"],
    ["Complete", true, "release"],
    ["SuccessWithErrors", true, "release"],
    ["DeviceError", true, "release"],
    ["UnsupportedPowerSupply", false, "release"],
    ["Canceled", false, "gone"],
    ["Expired", true, "gone"],
  ];
  it.each(rows)("%s with cancelInProgress=%s → %s", (code, optIn, expected) => {
    const live = code === "Canceled" || code === "Expired" ? classifyState(policy, code) : state(code);
    const d = decideDelete(policy, live, { cancelInProgress: optIn });
    expect(d.kind).toBe(expected);
    if (d.kind === "call") expect(d).toEqual({ kind: "call", via: "CancelJob", then: "done" });
  });

  it("a job that cannot be found is gone", () => {
    expect(decideDelete(policy, gone, {}).kind).toBe("gone");
  });

  it("covers every known ProgressCode: a rule for each live one, the gone ones by classification", () => {
    for (const code of progressCodes) {
      const live = classifyState(policy, code);
      if (live.kind === "gone") expect(policy.deleteRules[code], code).toBeUndefined();
      else expect(policy.deleteRules[code], code).toBeDefined();
    }
  });

  it.each([
    ["no ProgressCode", undefined],
    ["a ProgressCode this package does not know", "Teleported"],
  ] as const)("never cancels with %s (the unknown-state rule), even with cancelInProgress", (_name, code) => {
    const live = classifyState(policy, code);
    expect(live).toEqual(code === undefined ? { kind: "unknown" } : { kind: "unknown", reported: code });
    const d = decideDelete(policy, live, { cancelInProgress: true });
    expect(d).toEqual({ kind: "release", why: "its ProgressCode is not one this provider knows, so it is left untouched" });
  });

  it("never cancels when the state was not read", () => {
    expect(decideDelete(policy, { kind: "not-read" }, { cancelInProgress: true }).kind).toBe("release");
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

describe("Import/Export unknown state in diff (never an in-place update on an unknown state)", () => {
  it.each([
    ["no ProgressCode", undefined, "manifest can change in place only while Pending, and it is in an unknown state (no ProgressCode reported)"],
    ["an unknown ProgressCode", "Teleported", "manifest can change in place only while Pending, and it is in an unknown state (ProgressCode Teleported)"],
  ] as const)("%s → replace, saying why", (_name, code, reason) => {
    const changes = changedFields(policy, base, { ...base, manifest: manifestB });
    const d = decideDiff(policy, changes, classifyState(policy, code));
    expect(d).toMatchObject({ changes: true, replaces: ["manifest"], updates: [], reason });
  });

  it("a state-only change stays in place whatever the state", () => {
    const changes = changedFields(policy, base, { ...base, cancelInProgress: true });
    expect(decideDiff(policy, changes, classifyState(policy, undefined))).toMatchObject({ replaces: [], updates: ["cancelInProgress"] });
  });
});

describe("Import/Export update plan: which inputs travel in which call", () => {
  it("UpdateJob takes jobType and manifest, GetShippingLabel takes shippingLabel, cancelInProgress travels in none", () => {
    expect(fieldsSentBy(policy, "UpdateJob")).toEqual(["jobType", "manifest"]);
    expect(fieldsSentBy(policy, "GetShippingLabel")).toEqual(["shippingLabel"]);
    expect(fieldsSentBy(policy, "CancelJob")).toEqual([]);
    expect(policy.fields["cancelInProgress"]).toEqual({ kind: "state-only" });
  });

  const plan = (edit: Record<string, unknown>) => {
    const news = { ...base, ...edit };
    return planUpdate(policy, changedFields(policy, base, news), base, news);
  };
  it.each([
    ["manifest → UpdateJob", { manifest: manifestB }, [{ call: "UpdateJob", fields: ["manifest"] }], []],
    ["jobType and manifest → one UpdateJob", { jobType: "Export", manifest: manifestB }, [{ call: "UpdateJob", fields: ["jobType", "manifest"] }], []],
    ["shippingLabel → GetShippingLabel", { shippingLabel: { name: "J" } }, [{ call: "GetShippingLabel", fields: ["shippingLabel"] }], []],
    [
      "manifest + shippingLabel → UpdateJob then GetShippingLabel",
      { shippingLabel: { name: "J" }, manifest: manifestB },
      [{ call: "UpdateJob", fields: ["manifest"] }, { call: "GetShippingLabel", fields: ["shippingLabel"] }],
      [],
    ],
    ["cancelInProgress → no call", { cancelInProgress: true }, [], ["cancelInProgress"]],
  ] as const)("%s", (_name, edit, steps, stateOnly) => {
    const p = plan(edit);
    expect(p.steps).toEqual(steps);
    expect(p.stateOnly).toEqual(stateOnly);
  });
});

describe("one list of inputs: the table", () => {
  const everyInput = {
    jobType: "Import",
    manifest: manifestA,
    shippingLabel: { name: "Jane" },
    adoptJobId: "ABCDE",
    cancelInProgress: true,
  };
  it("normalisation accepts and keeps exactly the table's fields", () => {
    expect(Object.keys(everyInput).sort()).toEqual(Object.keys(policy.fields).sort());
    const n = normalizeInputs(everyInput);
    expect(n.failures.filter((f) => !f.property.startsWith("manifest."))).toEqual([]);
    expect(Object.keys(n.inputs).sort()).toEqual(Object.keys(policy.fields).sort());
  });

  it("the resource's Args type declares exactly the table's inputs (compile-time)", () => {
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const argsMatchTable: Same<keyof ImportExportJobArgs, ImportExportInput> = true;
    expect(argsMatchTable).toBe(true);
  });

  it("normalisation rejects a key the table does not list, by name", () => {
    const n = normalizeInputs({ ...everyInput, surprise: 1 });
    expect(n.failures).toContainEqual({ property: "surprise", reason: 'unknown input "surprise"' });
  });

  it("state → inputs reads exactly the table's fields (outputs and __provider are not inputs)", () => {
    expect(inputsOf(policy, { ...everyInput, jobId: "ABCDE", progressCode: "Pending", __provider: "x" })).toEqual(everyInput);
  });

  it("the state stores every input of the table, so diff compares what was applied", () => {
    const checked = normalizeInputs(everyInput).inputs as unknown as CheckedInputs;
    // The state type is the definition's checked inputs and outputs (provider/importexport/definition: JobState).
    const stored: JobState = jobState(checked, {}, { jobId: "ABCDE", endpoint: "http://e" });
    expect(inputsOf(policy, stored as unknown as Record<string, unknown>)).toEqual(inputsOf(policy, checked as unknown as Record<string, unknown>));
    expect(Object.keys(inputsOf(policy, stored as unknown as Record<string, unknown>)).sort()).toEqual(Object.keys(policy.fields).sort());
  });

  it("diff treats a key the table does not list as replace-always (the safe default is reachable)", () => {
    const changes = changedFields(policy, base, { ...base, surprise: 1 });
    expect(decideDiff(policy, changes, { kind: "not-read" })).toMatchObject({ replaces: ["surprise"], updates: [] });
  });
});

const iot = iotShapedPolicy;

describe("the mechanism knows no service (an IoT-Jobs-shaped table)", () => {
  const olds = { jobId: "fw-1", targets: ["arn:a", "arn:b"], document: "{}", description: "a", tags: { team: "x", old: "1" } };

  it("updatable in any state: no live state needed, in place even when the job finished", () => {
    const changes = changedFields(iot, olds, { ...olds, description: "b" });
    expect(needsLiveState(iot, changes)).toBe(false);
    expect(decideDiff(iot, changes, { kind: "state", state: "COMPLETED" })).toMatchObject({ replaces: [], updates: ["description"] });
    expect(decideDiff(iot, changes, { kind: "not-read" })).toMatchObject({ replaces: [], updates: ["description"] });
  });

  it("static replace, with deleteBeforeReplace when the user fixed the id", () => {
    const news = { ...olds, document: '{"v":2}' };
    const d = decideDiff(iot, changedFields(iot, olds, news), { kind: "not-read" }, { news });
    expect(d).toMatchObject({ replaces: ["document"], deleteBeforeReplace: true, reason: "document always forces replacement" });
    const noId = { ...olds, jobId: undefined };
    const noIdNews = { ...noId, document: "{2}" };
    expect(decideDiff(iot, changedFields(iot, noId, noIdNews), { kind: "not-read" }, { news: noIdNews }).deleteBeforeReplace).toBe(false);
  });

  it("targets compare as a set", () => {
    expect(changedFields(iot, olds, { ...olds, targets: ["arn:b", "arn:a"] })).toEqual([]);
    expect(changedFields(iot, olds, { ...olds, targets: ["arn:b", "arn:c"] }).map((c) => c.field)).toEqual(["targets"]);
  });

  it("tags diff as a map, through their own calls", () => {
    const news = { ...olds, tags: { team: "y", added: "2" }, description: "b" };
    const plan = planUpdate(iot, changedFields(iot, olds, news), olds, news);
    expect(plan.steps).toEqual([
      { call: "UpdateJob", fields: ["description"] },
      { call: "TagResource", fields: ["tags"], map: { field: "tags", set: { team: "y", added: "2" } } },
      { call: "UntagResource", fields: ["tags"], map: { field: "tags", unset: ["old"] } },
    ]);
    expect(mapDelta(undefined, { a: "1" })).toEqual({ set: { a: "1" }, unset: [] });
    expect(mapDelta({ a: "1" }, undefined)).toEqual({ set: {}, unset: ["a"] });
  });

  it("multi-step destroy: CancelJob then re-read (opt-in while running); DeleteJob once finished; gone by state", () => {
    expect(decideDelete(iot, { kind: "state", state: "SCHEDULED" }, {})).toEqual({ kind: "call", via: "CancelJob", then: "reread" });
    expect(decideDelete(iot, { kind: "state", state: "IN_PROGRESS" }, {})).toEqual({ kind: "release", why: "devices are running it" });
    expect(decideDelete(iot, { kind: "state", state: "IN_PROGRESS" }, { forceCancel: true })).toEqual({ kind: "call", via: "CancelJob", then: "reread" });
    expect(decideDelete(iot, { kind: "state", state: "CANCELED" }, {})).toEqual({ kind: "call", via: "DeleteJob", then: "reread" });
    expect(decideDelete(iot, classifyState(iot, "DELETION_IN_PROGRESS"), {}).kind).toBe("gone");
    expect(decideDelete(iot, classifyState(iot, "PAUSED"), {})).toEqual({ kind: "release", why: "its status is not one this provider knows" });
  });
});

/** Every table of the package (and the test-only IoT-shaped one): each must validate. Add a new resource's here. */
const TABLES: Record<string, ResourcePolicy<string, string>> = {
  importExportJobPolicy: policy,
  iotJobPolicy: iotJobPolicy as ResourcePolicy<string, string>,
  iotShapedPolicy: iot,
};

describe("validatePolicy: a table that says something that never applies is rejected", () => {
  it.each(Object.entries(TABLES))("%s is valid", (_name, table) => expect(validatePolicy(table)).toEqual([]));

  type S = "A" | "B" | "GONE";
  type C = "Up" | "Del";
  const ok: ResourcePolicy<S, C> = {
    fields: { x: { kind: "updatable-while", states: ["A"], via: "Up" }, flag: { kind: "state-only" }, id: { kind: "replace-always" } },
    states: ["A", "B", "GONE"],
    gone: { states: ["GONE"], errors: ["NotFound"] },
    unknownState: { diff: "replace", delete: { kind: "release", why: "?" } },
    calls: { Up: {}, Del: {} },
    deleteRules: { A: { kind: "call", via: "Del" }, B: { kind: "call", via: "Del", optIn: { input: "flag", otherwise: "no" } } },
    deleteBeforeReplace: { kind: "never" },
    words: { resource: "Thing", state: "state", deleted: "deleted" },
  };
  it("accepts a valid one", () => expect(validatePolicy(ok)).toEqual([]));

  it.each<[string, Partial<ResourcePolicy<S, C>>, string]>([
    ["a delete rule behind a gone state", { deleteRules: { ...ok.deleteRules, GONE: { kind: "release", why: "x" } } }, "deleteRules.GONE: GONE is a gone state, so this rule can never apply"],
    ["a live state without a delete rule", { deleteRules: { A: { kind: "call", via: "Del" } } }, "deleteRules: no rule for B"],
    ["an update only in a gone state", { fields: { ...ok.fields, x: { kind: "updatable-while", states: ["GONE"], via: "Up" } } }, "fields.x: GONE is a gone state, so an update there can never happen"],
    ["an empty state list", { fields: { ...ok.fields, x: { kind: "updatable-while", states: [], via: "Up" } } }, "fields.x: an empty state list can never apply (use replace-always)"],
    ["a call nobody makes", { fields: { flag: { kind: "state-only" }, id: { kind: "replace-always" } } }, "calls.Up: no field or delete rule uses it"],
    ["a call not declared", { calls: { Del: {} } as ResourcePolicy<S, C>["calls"] }, "fields.x: call Up is not in calls"],
    ["an opt-in that is not a state-only input", { deleteRules: { ...ok.deleteRules, B: { kind: "call", via: "Del", optIn: { input: "x", otherwise: "no" } } } }, "deleteRules.B: opt-in input x must be a state-only field"],
    ["deleteBeforeReplace on an updatable input", { deleteBeforeReplace: { kind: "when-set", input: "x" } }, "deleteBeforeReplace: x must be a replace-always field"],
    ["a gone state that is not a state", { gone: { states: ["GONE", "Z" as S], errors: [] } }, "gone.states: Z is not one of states"],
  ])("%s", (_name, edit, problem) => {
    expect(validatePolicy({ ...ok, ...edit })).toContain(problem);
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

  it.each([
    [[1, 2], [2, 1], true],
    [[1, 1, 2], [1, 2, 2], false],
    [[{ a: 1 }], [{ a: 1 }], true],
    [[1], [1, 1], false],
  ] as const)("setEqual(%o, %o) = %s", (a, b, expected) => expect(setEqual(a, b)).toBe(expected));
});
