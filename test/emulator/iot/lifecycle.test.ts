/**
 * catchUp (emulator/iot/lifecycle.ts), on jobs built in memory: it says whether it changed the job exactly when the
 * job differs afterwards (the backend journals a job only then), over every step it takes and every state it leaves
 * alone; and it no longer copies the whole job to JSON to find that out (it did twice per call, on every access of
 * every job, a cost that grew with the job's executions).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { catchUp } from "../../../emulator/iot/lifecycle";
import type { IotJobRecord, JobExecutionRecord } from "../../../emulator/iot/records";

const T0 = Date.parse("2030-01-01T00:00:00Z");
const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function execution(thingName: string, status: JobExecutionRecord["status"], extra: Partial<JobExecutionRecord> = {}): JobExecutionRecord {
  return { thingName, thingArn: `arn:aws:iot:us-east-1:111111111111:thing/${thingName}`, status, executionNumber: 1, queuedAt: T0, lastUpdatedAt: T0, ...extra };
}

function job(extra: Partial<IotJobRecord> = {}): IotJobRecord {
  return {
    kind: "job",
    scope: { accountId: "111111111111", region: "us-east-1" },
    sequence: 1,
    jobId: "rollout",
    jobArn: "arn:aws:iot:us-east-1:111111111111:job/rollout",
    status: "IN_PROGRESS",
    targetSelection: "SNAPSHOT",
    targets: ["arn:aws:iot:us-east-1:111111111111:thing/t1"],
    spec: {},
    createdAt: T0,
    lastUpdatedAt: T0,
    executions: [],
    tags: [],
    ...extra,
  };
}

const things = (): { thingName: string; thingArn: string }[] => [{ thingName: "t1", thingArn: "arn:aws:iot:us-east-1:111111111111:thing/t1" }];
const now = T0 + 10 * MINUTE;

/** Each case: a job and whether catching it up at `now` changes it. */
const cases: [string, () => IotJobRecord, boolean][] = [
  ["SCHEDULED, start due", () => job({ status: "SCHEDULED", spec: { schedulingConfig: { startTime: iso(T0 + MINUTE) } } }), true],
  ["SCHEDULED, start ahead", () => job({ status: "SCHEDULED", spec: { schedulingConfig: { startTime: iso(T0 + 60 * MINUTE) } } }), false],
  ["SCHEDULED without a start (a replayed line)", () => job({ status: "SCHEDULED" }), true],
  ["IN_PROGRESS, execution timeout passed", () => job({ executions: [execution("t1", "IN_PROGRESS", { startedAt: T0, timeoutMinutes: 5 }), execution("t2", "QUEUED")] }), true],
  ["IN_PROGRESS, execution timeout ahead", () => job({ executions: [execution("t1", "IN_PROGRESS", { startedAt: T0, timeoutMinutes: 30 })] }), false],
  ["CANCELED, a running execution's timeout passed", () => job({ status: "CANCELED", completedAt: T0, executions: [execution("t1", "IN_PROGRESS", { startedAt: T0, timeoutMinutes: 5 })] }), true],
  [
    "IN_PROGRESS, abort criteria met",
    () => job({ spec: { abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] } }, executions: [execution("t1", "FAILED"), execution("t2", "QUEUED")] }),
    true,
  ],
  ["IN_PROGRESS, endTime passed with CANCEL", () => job({ targetSelection: "CONTINUOUS", spec: { schedulingConfig: { endTime: iso(T0 + MINUTE), endBehavior: "CANCEL" } }, executions: [execution("t1", "QUEUED")] }), true],
  ["SNAPSHOT, every execution terminal", () => job({ executions: [execution("t1", "SUCCEEDED"), execution("t2", "REJECTED")] }), true],
  ["SNAPSHOT, an execution still queued", () => job({ executions: [execution("t1", "SUCCEEDED"), execution("t2", "QUEUED")] }), false],
  ["CONTINUOUS, every execution terminal, no endTime", () => job({ targetSelection: "CONTINUOUS", executions: [execution("t1", "SUCCEEDED")] }), false],
  ["CONTINUOUS, endTime passed (STOP_ROLLOUT)", () => job({ targetSelection: "CONTINUOUS", spec: { schedulingConfig: { endTime: iso(T0 + MINUTE), endBehavior: "STOP_ROLLOUT" } }, executions: [execution("t1", "SUCCEEDED")] }), true],
  ["COMPLETED", () => job({ status: "COMPLETED", completedAt: T0, executions: [execution("t1", "SUCCEEDED")] }), false],
  ["DELETION_IN_PROGRESS", () => job({ status: "DELETION_IN_PROGRESS", deletionStartedAt: T0, executions: [execution("t1", "REMOVED")] }), false],
];

describe("catchUp", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(cases)("%s: reports a change exactly when the job differs afterwards", (_name, make, expected) => {
    const j = make();
    const before = structuredClone(j);
    const changed = catchUp(j, now, things);
    expect({ changed, differs: JSON.stringify(j) !== JSON.stringify(before) }).toEqual({ changed: expected, differs: expected });
    // Caught up, a second catch-up at the same time finds nothing left to do.
    expect(catchUp(j, now, things)).toBe(false);
  });

  it("does not serialise the job to find out whether it changed", () => {
    const big = job({ executions: Array.from({ length: 1000 }, (_, i) => execution(`t${i}`, i % 2 === 0 ? "IN_PROGRESS" : "QUEUED", { startedAt: T0, timeoutMinutes: 60 })) });
    const stringify = vi.spyOn(JSON, "stringify");
    for (let i = 0; i < 10; i++) expect(catchUp(big, now, things)).toBe(false);
    expect(stringify).toHaveBeenCalledTimes(0); // before: 2 per call, each over all 1,000 executions
  });
});
