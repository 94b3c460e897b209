/**
 * The IoT Jobs table (provider/iot-policy) through the pure mechanism (provider/policy), and the two
 * generalizations it needed — a delete opt-in asked only under a condition the adapter reports (`optIn.when`), and
 * deleteBeforeReplace `unlessTrue` (an auto-named identity) — checked on both tables.
 */
import { describe, expect, it } from "vitest";
import { importExportJobPolicy } from "../../../provider/importexport/definition";
import { IOT_JOB_STATUSES as iotJobStatuses, type IotJobStatusCode as IotJobStatus } from "../../../sdk/iot/model";
import { EXECUTIONS_IN_PROGRESS, iotJobPolicy as iot } from "../../../provider/iot/definition";
import { resourceMechanism } from "../../../provider/core/mechanism";
import { changedFields, classifyState, decideDelete, decideDiff, needsLiveState, planUpdate, validatePolicy, type LiveState, type ResourcePolicy } from "../../../provider/core/policy";

const state = (s: IotJobStatus): LiveState<IotJobStatus> => ({ kind: "state", state: s });
const olds = {
  jobId: "rollout-abc1234",
  jobIdAutoNamed: true,
  targets: ["arn:aws:iot:us-east-1:111111111111:thinggroup/a", "arn:aws:iot:us-east-1:111111111111:thing/b"],
  document: '{"v":1}',
  description: "a",
  tags: { team: "x", old: "1" },
};
const diffOf = (news: Record<string, unknown>, live: LiveState<IotJobStatus> = { kind: "not-read" }) => decideDiff(iot, changedFields(iot, olds, news), live, { news });

describe("the IoT table", () => {
  it("is valid, and so is the Import/Export table", () => {
    expect(validatePolicy(iot)).toEqual([]);
    expect(validatePolicy(importExportJobPolicy)).toEqual([]);
  });

  it.each([
    ["description", "b"],
    ["presignedUrlConfig", { roleArn: "arn:aws:iam::1:role/r", expiresInSec: 60 }],
    ["jobExecutionsRolloutConfig", { maximumPerMinute: 5 }],
    ["abortConfig", { criteriaList: [{ failureType: "ALL", action: "CANCEL", thresholdPercentage: 10, minNumberOfExecutedThings: 1 }] }],
    ["timeoutConfig", { inProgressTimeoutInMinutes: 5 }],
    ["jobExecutionsRetryConfig", { criteriaList: [{ failureType: "FAILED", numberOfRetries: 2 }] }],
    ["tags", { team: "y" }],
  ])("%s: updated in place in every state, without reading the status", (field, value) => {
    const changes = changedFields(iot, olds, { ...olds, [field]: value });
    expect(needsLiveState(iot, changes)).toBe(false);
    for (const s of ["SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELED"] as const) {
      expect(diffOf({ ...olds, [field]: value }, state(s))).toMatchObject({ changes: true, replaces: [], updates: [field] });
    }
  });

  it.each([
    ["targets", ["arn:aws:iot:us-east-1:111111111111:thing/c"]],
    ["document", '{"v":2}'],
    ["documentSource", "https://s3.amazonaws.com/b/doc.json"],
    ["targetSelection", "CONTINUOUS"],
    ["jobTemplateArn", "arn:aws:iot:us-east-1::jobtemplate/AWS-Reboot:1.0"],
    ["documentParameters", { p: "1" }],
    ["schedulingConfig", { endBehavior: "CANCEL" }],
    ["destinationPackageVersions", ["arn:aws:iot:us-east-1:111111111111:package/p/version/1"]],
    ["namespaceId", "ns"],
    ["jobId", "other-id"],
  ])("%s: replaces, whatever the state, with the reason", (field, value) => {
    const d = diffOf({ ...olds, [field]: value });
    expect(d).toMatchObject({ replaces: [field], reason: `${field} always forces replacement` });
  });

  it("targets are a set: another order is no change", () => {
    expect(diffOf({ ...olds, targets: [...olds.targets].reverse() }).changes).toBe(false);
  });

  it("delete-before-replace only for a user-fixed jobId (unlessTrue: an auto-name gets a fresh one)", () => {
    expect(diffOf({ ...olds, document: '{"v":2}' }).deleteBeforeReplace).toBe(false);
    const fixed = { ...olds, jobIdAutoNamed: undefined };
    expect(decideDiff(iot, changedFields(iot, fixed, { ...fixed, document: "{}" }), { kind: "not-read" }, { news: { ...fixed, document: "{}" } }).deleteBeforeReplace).toBe(true);
    // An update is never delete-first.
    expect(diffOf({ ...fixed, description: "z" }).deleteBeforeReplace).toBe(false);
  });

  it("an update plan: UpdateJob for the struct fields, Tag/UntagResource for the tags, in the table's order", () => {
    const news = { ...olds, tags: { team: "y", added: "2" }, description: "b", timeoutConfig: { inProgressTimeoutInMinutes: 9 } };
    expect(planUpdate(iot, changedFields(iot, olds, news), olds, news).steps).toEqual([
      { call: "UpdateJob", fields: ["description", "timeoutConfig"] },
      { call: "TagResource", fields: ["tags"], map: { field: "tags", set: { team: "y", added: "2" } } },
      { call: "UntagResource", fields: ["tags"], map: { field: "tags", unset: ["old"] } },
    ]);
    const forceOnly = { ...olds, forceCancel: true };
    expect(planUpdate(iot, changedFields(iot, olds, forceOnly), olds, forceOnly)).toEqual({ steps: [], stateOnly: ["forceCancel"] });
  });

  it("destroy: cancel while SCHEDULED / IN_PROGRESS, delete once CANCELED / COMPLETED, gone when deleting or not found", () => {
    expect(decideDelete(iot, state("SCHEDULED"), {})).toEqual({ kind: "call", via: "CancelJob", then: "reread" });
    expect(decideDelete(iot, state("IN_PROGRESS"), {}, [EXECUTIONS_IN_PROGRESS])).toEqual({ kind: "call", via: "CancelJob", then: "reread" });
    expect(decideDelete(iot, state("CANCELED"), {})).toEqual({ kind: "call", via: "DeleteJob", then: "reread" });
    expect(decideDelete(iot, state("COMPLETED"), {}, [EXECUTIONS_IN_PROGRESS])).toEqual({ kind: "call", via: "DeleteJob", then: "reread" });
    expect(decideDelete(iot, classifyState(iot, "DELETION_IN_PROGRESS"), {})).toEqual({ kind: "gone" });
    expect(decideDelete(iot, classifyState(iot, "PAUSED"), {}).kind).toBe("release");
    expect(iotJobStatuses).toEqual(iot.states);
  });

  it("a cancelled job whose devices still run executions: deleted only with forceDelete (optIn.when), released otherwise", () => {
    const d = decideDelete(iot, state("CANCELED"), {}, [EXECUTIONS_IN_PROGRESS]);
    expect(d.kind).toBe("release");
    expect(d.kind === "release" && d.why).toMatch(/numberOfInProgressThings > 0.*forceCancel: true.*forceDelete: true/);
    expect(decideDelete(iot, state("CANCELED"), { forceDelete: true }, [EXECUTIONS_IN_PROGRESS])).toEqual({ kind: "call", via: "DeleteJob", then: "reread" });
    expect(decideDelete(iot, state("CANCELED"), { forceDelete: "true" }, [EXECUTIONS_IN_PROGRESS]).kind).toBe("release");
  });
});

describe("the generalizations keep the Import/Export behaviour", () => {
  it("an opt-in without `when` is asked whatever the conditions", () => {
    const inProgress: LiveState<"InProgress"> = { kind: "state", state: "InProgress" };
    expect(decideDelete(importExportJobPolicy, inProgress as never, {}, []).kind).toBe("release");
    expect(decideDelete(importExportJobPolicy, inProgress as never, {}, ["anything"]).kind).toBe("release");
    expect(decideDelete(importExportJobPolicy, inProgress as never, { cancelInProgress: true }, [])).toEqual({ kind: "call", via: "CancelJob", then: "done" });
  });

  it("validatePolicy rejects an unlessTrue that is not a state-only field", () => {
    const bad: ResourcePolicy<IotJobStatus, string> = { ...iot, deleteBeforeReplace: { kind: "when-set", input: "jobId", unlessTrue: "description" } };
    expect(validatePolicy(bad)).toContain("deleteBeforeReplace: unlessTrue description must be a state-only field");
  });
});

describe("the mechanism hands the adapter's conditions to the delete rule, and the prior state to each call", () => {
  /** A one-job in-memory service in a given status, with executions in progress or not. */
  function run(status: IotJobStatus, running: boolean) {
    const calls: Array<{ call: string; state: Readonly<Record<string, unknown>> }> = [];
    const warnings: string[] = [];
    let now = status;
    const m = resourceMechanism(
      iot,
      {
        statusCall: "DescribeJob",
        describe: async () => ({ state: now, status: {}, conditions: running ? [EXECUTIONS_IN_PROGRESS] : [] }),
        perform: async (call, req) => {
          calls.push({ call, state: req.state });
          if (call === "CancelJob") now = "CANCELED";
          if (call === "DeleteJob") now = "DELETION_IN_PROGRESS";
          return {};
        },
        errorCode: () => undefined,
        errorMessage: (e) => String(e),
        describeError: (op) => `${op} failed`,
        warn: (w) => void warnings.push(w),
      },
      { poll: { attempts: 2, intervalMs: 1 } },
    );
    return { m, calls, warnings };
  }
  const props = { ...olds, jobArn: "arn:aws:iot:us-east-1:111111111111:job/rollout-abc1234" };

  it("nothing running: CancelJob, then DeleteJob, each given the whole prior state", async () => {
    const s = run("IN_PROGRESS", false);
    await s.m.delete("rollout-abc1234", props);
    expect(s.calls.map((c) => c.call)).toEqual(["CancelJob", "DeleteJob"]);
    expect(s.calls[0]?.state["jobArn"]).toBe(props.jobArn);
    expect(s.warnings).toEqual([]);
  });

  it("executions running: CancelJob, then released with the warning; with forceDelete, deleted", async () => {
    const s = run("IN_PROGRESS", true);
    await s.m.delete("rollout-abc1234", props);
    expect(s.calls.map((c) => c.call)).toEqual(["CancelJob"]);
    expect(s.warnings[0]).toMatch(/^IoT job rollout-abc1234 \(status CANCELED\) was not deleted: devices are still running/);
    const f = run("IN_PROGRESS", true);
    await f.m.delete("rollout-abc1234", { ...props, forceDelete: true });
    expect(f.calls.map((c) => c.call)).toEqual(["CancelJob", "DeleteJob"]);
  });

  it("an update's TagResource call gets the prior state (the ARN is an output)", async () => {
    const s = run("COMPLETED", false);
    await s.m.update("rollout-abc1234", props, { ...olds, tags: { team: "x", old: "1", added: "y" } });
    expect(s.calls).toEqual([{ call: "TagResource", state: props }]);
  });
});
