import {
  AddThingToThingGroupCommand,
  AssociateTargetsWithJobCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeThingCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateJobCommand,
  type IoTClient,
  type ListJobsCommandInput,
} from "@aws-sdk/client-iot";
import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { iotAdmin, iotClient } from "../../helpers/iot";
import { call } from "../raw-client";

/** The error an SDK call rejected with: name, HTTP status and message. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string; raw: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message, raw: e as Record<string, unknown> };
  }
  throw new Error("expected the call to fail");
}

describe("emulator: IoT Jobs control plane through @aws-sdk/client-iot over real HTTP", () => {
  const emu = withEmulator({ iotDeletionDelayMs: 60_000 });
  let iot: IoTClient;
  let admin: ReturnType<typeof iotAdmin>;
  const arn = (kind: string, name: string, account = emu().account.accountId, region = "us-east-1"): string => `arn:aws:iot:${region}:${account}:${kind}/${name}`;

  /** Two things, one of them in the group "fleet". */
  async function fleet(): Promise<void> {
    await iot.send(new CreateThingCommand({ thingName: "t1" }));
    await iot.send(new CreateThingCommand({ thingName: "t2" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet", thingName: "t2" }));
  }
  const createJob = (jobId: string, extra: Record<string, unknown> = {}) =>
    iot.send(new CreateJobCommand({ jobId, targets: [arn("thing", "t1"), arn("thinggroup", "fleet")], document: '{"op":"reboot"}', ...extra }));
  const describe_ = async (jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job!;

  beforeEach(async () => {
    await emu().admin.reset();
    iot = iotClient(emu().endpoint, emu().account);
    admin = iotAdmin(emu().endpoint);
    await fleet();
  });

  it("creates a job IN_PROGRESS with one QUEUED execution per target thing; it completes when every execution is terminal", async () => {
    const created = await createJob("fw-1", { description: "firmware 1.2", tags: [{ Key: "team", Value: "fw" }] });
    expect(created).toMatchObject({ jobId: "fw-1", jobArn: arn("job", "fw-1"), description: "firmware 1.2" });
    let job = await describe_("fw-1");
    expect(job).toMatchObject({ status: "IN_PROGRESS", targetSelection: "SNAPSHOT", forceCanceled: false, targets: [arn("thing", "t1"), arn("thinggroup", "fleet")] });
    expect(job.createdAt).toBeInstanceOf(Date);
    expect(job.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 2, numberOfSucceededThings: 0, processingTargets: job.targets });
    const executions = await iot.send(new ListJobExecutionsForJobCommand({ jobId: "fw-1" }));
    expect(executions.executionSummaries?.map((e) => [e.thingArn, e.jobExecutionSummary?.status])).toEqual([
      [arn("thing", "t1"), "QUEUED"],
      [arn("thing", "t2"), "QUEUED"],
    ]);

    await admin.execution("fw-1", "t1", "IN_PROGRESS");
    const afterOne = await admin.execution("fw-1", "t1", "SUCCEEDED");
    expect(afterOne.status).toBe("IN_PROGRESS");
    job = await describe_("fw-1");
    expect(job.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 1, numberOfSucceededThings: 1, numberOfInProgressThings: 0 });
    const done = await admin.executions("fw-1", "SUCCEEDED");
    expect(done.status).toBe("COMPLETED");
    job = await describe_("fw-1");
    expect(job.status).toBe("COMPLETED");
    expect(job.completedAt).toBeInstanceOf(Date);
    expect(job.jobProcessDetails).toMatchObject({ numberOfSucceededThings: 2, numberOfQueuedThings: 0 });
    expect(job.jobProcessDetails?.processingTargets).toBeUndefined();
    // An execution that is terminal cannot report again.
    expect((await admin.raw("POST", "iot/jobs/fw-1/executions/t1", { status: "FAILED" })).status).toBe(409);
    expect((await admin.raw("POST", "iot/jobs/fw-1/executions/t9", { status: "FAILED" })).status).toBe(404);
    expect((await admin.raw("POST", "iot/jobs/fw-1/executions/t1", { status: "DONE" })).status).toBe(400);
    expect((await admin.raw("POST", "iot/jobs/%E0%A4%A/executions", { status: "FAILED" })).status).toBe(400);
    expect((await admin.raw("POST", "iot/jobs/nope/executions", { status: "FAILED" })).status).toBe(404);
  });

  it("UpdateJob changes the updatable members in place and refuses a finished job with InvalidRequestException 400", async () => {
    await createJob("fw-1", { description: "one", timeoutConfig: { inProgressTimeoutInMinutes: 10 }, presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/p", expiresInSec: 600 } });
    const before = await describe_("fw-1");
    await iot.send(
      new UpdateJobCommand({
        jobId: "fw-1",
        description: "two",
        abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 50, minNumberOfExecutedThings: 10 }] },
        timeoutConfig: { inProgressTimeoutInMinutes: 20 },
        jobExecutionsRolloutConfig: { maximumPerMinute: 5, exponentialRate: { baseRatePerMinute: 2, incrementFactor: 1.5, rateIncreaseCriteria: { numberOfSucceededThings: 1 } } },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: "TIMED_OUT", numberOfRetries: 3 }] },
      }),
    );
    const after = await describe_("fw-1");
    expect(after).toMatchObject({
      jobId: "fw-1",
      status: "IN_PROGRESS",
      description: "two",
      timeoutConfig: { inProgressTimeoutInMinutes: 20 },
      presignedUrlConfig: { expiresInSec: 600 },
      jobExecutionsRolloutConfig: { maximumPerMinute: 5, exponentialRate: { incrementFactor: 1.5 } },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: "TIMED_OUT", numberOfRetries: 3 }] },
      targets: before.targets,
      createdAt: before.createdAt,
    });
    expect(after.lastUpdatedAt!.getTime()).toBeGreaterThanOrEqual(before.lastUpdatedAt!.getTime());

    // namespaceId only addresses the job: another namespace does not find it.
    expect(await failure(iot.send(new UpdateJobCommand({ jobId: "fw-1", namespaceId: "other", description: "x" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    expect(await failure(iot.send(new UpdateJobCommand({ jobId: "nope", description: "x" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    const badRate = await failure(iot.send(new UpdateJobCommand({ jobId: "fw-1", jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 0, incrementFactor: 2, rateIncreaseCriteria: {} } } })));
    expect(badRate).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(badRate.message).toContain("jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute must be at least 1");
    const badFactor = await failure(iot.send(new UpdateJobCommand({ jobId: "fw-1", jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 1.25, rateIncreaseCriteria: {} } } })));
    expect(badFactor.message).toContain("incrementFactor must have at most one decimal place");

    await admin.executions("fw-1", "SUCCEEDED");
    const refused = await failure(iot.send(new UpdateJobCommand({ jobId: "fw-1", description: "three" })));
    expect(refused).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(refused.message).toContain("COMPLETED");
    expect((await describe_("fw-1")).description).toBe("two");
  });

  it("a running execution keeps the timeout it started with; one past it times out on the emulator clock", async () => {
    await createJob("fw-1", { timeoutConfig: { inProgressTimeoutInMinutes: 5 } });
    await admin.execution("fw-1", "t1", "IN_PROGRESS");
    await iot.send(new UpdateJobCommand({ jobId: "fw-1", timeoutConfig: { inProgressTimeoutInMinutes: 60 } }));
    await emu().admin.advanceClock(6 * 60_000);
    const job = await describe_("fw-1");
    expect(job.jobProcessDetails).toMatchObject({ numberOfTimedOutThings: 1, numberOfQueuedThings: 1 });
    await admin.execution("fw-1", "t2", "IN_PROGRESS");
    await emu().admin.advanceClock(30 * 60_000); // t2 started under the 60-minute timeout
    expect((await describe_("fw-1")).jobProcessDetails).toMatchObject({ numberOfTimedOutThings: 1, numberOfInProgressThings: 1 });
  });

  it("CancelJob: without force only QUEUED executions are canceled; force cancels IN_PROGRESS ones and sets forceCanceled", async () => {
    await createJob("fw-1", { description: "d" });
    await admin.execution("fw-1", "t1", "IN_PROGRESS");
    const canceled = await iot.send(new CancelJobCommand({ jobId: "fw-1", reasonCode: "BAD_BUILD", comment: "rolled back" }));
    expect(canceled).toMatchObject({ jobId: "fw-1", jobArn: arn("job", "fw-1"), description: "d" });
    let job = await describe_("fw-1");
    expect(job).toMatchObject({ status: "CANCELED", forceCanceled: false, reasonCode: "BAD_BUILD", comment: "rolled back" });
    expect(job.jobProcessDetails).toMatchObject({ numberOfCanceledThings: 1, numberOfInProgressThings: 1 });
    expect(await failure(iot.send(new CancelJobCommand({ jobId: "fw-1" })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    await iot.send(new CancelJobCommand({ jobId: "fw-1", force: true }));
    job = await describe_("fw-1");
    expect(job).toMatchObject({ status: "CANCELED", forceCanceled: true });
    expect(job.jobProcessDetails).toMatchObject({ numberOfCanceledThings: 2, numberOfInProgressThings: 0 });
    expect(await failure(iot.send(new CancelJobCommand({ jobId: "fw-1", reasonCode: "lower case" })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(await failure(iot.send(new CancelJobCommand({ jobId: "nope" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("DeleteJob: IN_PROGRESS needs force (InvalidStateTransitionException 409); DELETION_IN_PROGRESS, then gone, then the jobId is free", async () => {
    await createJob("fw-1");
    const refused = await failure(iot.send(new DeleteJobCommand({ jobId: "fw-1" })));
    expect(refused).toMatchObject({ name: "InvalidStateTransitionException", status: 409 });
    await iot.send(new CancelJobCommand({ jobId: "fw-1" }));
    await iot.send(new DeleteJobCommand({ jobId: "fw-1" }));
    expect((await describe_("fw-1")).status).toBe("DELETION_IN_PROGRESS");
    expect((await iot.send(new ListJobsCommand({ status: "DELETION_IN_PROGRESS" }))).jobs?.map((j) => j.jobId)).toEqual(["fw-1"]);
    expect(await failure(iot.send(new DeleteJobCommand({ jobId: "fw-1" })))).toMatchObject({ name: "InvalidStateTransitionException", status: 409 });
    expect(await failure(iot.send(new UpdateJobCommand({ jobId: "fw-1", description: "x" })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(await failure(iot.send(new CancelJobCommand({ jobId: "fw-1", force: true })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    const dup = await failure(createJob("fw-1"));
    expect(dup).toMatchObject({ name: "ResourceAlreadyExistsException", status: 409 });
    expect(dup.message).toContain("deletion is in progress");
    await emu().admin.advanceClock(61_000);
    expect(await failure(describe_("fw-1"))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    await createJob("fw-1");
    expect((await describe_("fw-1")).status).toBe("IN_PROGRESS");
    // force deletes a running job and removes its executions.
    await iot.send(new DeleteJobCommand({ jobId: "fw-1", force: true }));
    expect((await admin.jobs()).find((j) => j.jobId === "fw-1")?.executions.map((e) => e.status)).toEqual(["REMOVED", "REMOVED"]);
  });

  it("a duplicate jobId is ResourceAlreadyExistsException 409 with resourceId and resourceArn; the job is not overwritten", async () => {
    await createJob("fw-1", { description: "first" });
    const dup = await failure(createJob("fw-1", { description: "second" }));
    expect(dup).toMatchObject({ name: "ResourceAlreadyExistsException", status: 409 });
    expect(dup.raw).toMatchObject({ resourceId: "fw-1", resourceArn: arn("job", "fw-1") });
    expect((await describe_("fw-1")).description).toBe("first");
  });

  it("a schedulingConfig in the future makes the job SCHEDULED; it starts at startTime on the emulator clock", async () => {
    const start = new Date(Date.now() + 60 * 60_000).toISOString().slice(0, 16);
    await createJob("later", { schedulingConfig: { startTime: start } });
    let job = await describe_("later");
    expect(job).toMatchObject({ status: "SCHEDULED", schedulingConfig: { startTime: start }, scheduledJobRollouts: [{ startTime: start }] });
    expect(job.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 0 });
    await iot.send(new UpdateJobCommand({ jobId: "later", description: "still scheduled" }));
    expect(await failure(iot.send(new DeleteJobCommand({ jobId: "later" })))).toMatchObject({ name: "InvalidStateTransitionException", status: 409 });
    await emu().admin.advanceClock(2 * 60 * 60_000);
    job = await describe_("later");
    expect(job).toMatchObject({ status: "IN_PROGRESS", description: "still scheduled" });
    expect(job.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 2 });
    const soon = await failure(createJob("soon", { schedulingConfig: { startTime: new Date(Date.now() + 2 * 3600_000 + 60_000).toISOString().slice(0, 16) } }));
    expect(soon).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(soon.message).toContain("schedulingConfig.startTime must be at least 30 minutes");
    expect((await failure(createJob("bad", { schedulingConfig: { startTime: "tomorrow" } }))).message).toContain("schedulingConfig.startTime must be an ISO 8601 time");
  });

  it("schedulingConfig.endTime: a CONTINUOUS job completes after it (STOP_ROLLOUT); CANCEL / FORCE_CANCEL cancel the job there", async () => {
    const end = new Date(Date.now() + 45 * 60_000).toISOString().slice(0, 16);
    const continuous = { targets: [arn("thing", "t1")], document: "{}", targetSelection: "CONTINUOUS" as const };
    await iot.send(new CreateJobCommand({ jobId: "stop", ...continuous, schedulingConfig: { endTime: end } }));
    await iot.send(new CreateJobCommand({ jobId: "cancel", ...continuous, schedulingConfig: { endTime: end, endBehavior: "CANCEL" } }));
    await iot.send(new CreateJobCommand({ jobId: "force", ...continuous, schedulingConfig: { endTime: end, endBehavior: "FORCE_CANCEL" } }));
    await admin.executions("stop", "SUCCEEDED");
    await admin.execution("cancel", "t1", "IN_PROGRESS");
    await admin.execution("force", "t1", "IN_PROGRESS");
    expect((await describe_("stop")).status).toBe("IN_PROGRESS"); // CONTINUOUS: not before endTime
    await emu().admin.advanceClock(60 * 60_000);
    expect(await describe_("stop")).toMatchObject({ status: "COMPLETED" });
    expect(await describe_("cancel")).toMatchObject({ status: "CANCELED", forceCanceled: false, reasonCode: "SCHEDULE_END", jobProcessDetails: { numberOfInProgressThings: 1 } });
    expect(await describe_("force")).toMatchObject({ status: "CANCELED", forceCanceled: true, jobProcessDetails: { numberOfCanceledThings: 1, numberOfInProgressThings: 0 } });
    const tooClose = await failure(createJob("close", { schedulingConfig: { endTime: new Date(Date.now() + 10 * 60_000).toISOString().slice(0, 16) } }));
    expect(tooClose.message).toContain("schedulingConfig.endTime must be at least 30 minutes after the start");
  });

  it("documentSource is stored and echoed; the emulator has no S3, so GetJobDocument returns no document", async () => {
    const source = "https://s3.amazonaws.com/alice-fw/job.json";
    await iot.send(new CreateJobCommand({ jobId: "src", targets: [arn("thing", "t1")], documentSource: source }));
    expect((await iot.send(new DescribeJobCommand({ jobId: "src" }))).documentSource).toBe(source);
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "src" }))).document).toBeUndefined();
    expect((await failure(createJob("both", { documentSource: source }))).message).toContain("documentSource and document exclude each other; give one.");
    expect((await failure(createJob("ftp", { document: undefined, documentSource: "ftp://x/y" }))).message).toContain("documentSource must be an S3 URL");
  });

  it("abortConfig cancels the job once its failure threshold is met", async () => {
    await createJob("fw-1", { abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] } });
    const after = await admin.execution("fw-1", "t1", "FAILED");
    expect(after.status).toBe("CANCELED");
    const job = await describe_("fw-1");
    expect(job).toMatchObject({ status: "CANCELED", reasonCode: "ABORT_CRITERIA_MET", forceCanceled: false });
    expect(job.comment).toContain("abortConfig");
    expect(job.jobProcessDetails).toMatchObject({ numberOfFailedThings: 1, numberOfCanceledThings: 1 });
  });

  it("CreateJob validates targets, document and the model's constraints, naming the field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ targets: [arn("thing", "ghost")] }, "ResourceNotFoundException", "targets[0]: thing ghost does not exist"],
      [{ targets: [arn("thing", "t1", emu().otherAccount.accountId)] }, "ResourceNotFoundException", "is not in this account and region"],
      [{ targets: ["arn:aws:s3:::bucket"] }, "InvalidRequestException", "targets[0]"],
      [{ targets: [arn("thing", "t1"), arn("thing", "t1")] }, "InvalidRequestException", "targets[1] repeats"],
      [{ document: "not json" }, "InvalidRequestException", "document is not valid JSON"],
      [{ document: JSON.stringify({ pad: "x".repeat(33_000) }) }, "InvalidRequestException", "document must be at most 32768 characters"],
      [{ document: undefined }, "InvalidRequestException", "document is required (or documentSource, or a jobTemplateArn that carries one)"],
      [{ description: "bad\u0007" }, "InvalidRequestException", "description"],
      [{ presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/p", expiresInSec: 30 } }, "InvalidRequestException", "presignedUrlConfig.expiresInSec must be at least 60"],
      [{ jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }, "InvalidRequestException", "jobExecutionsRolloutConfig.maximumPerMinute must be at least 1"],
      [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1001, incrementFactor: 2, rateIncreaseCriteria: {} } } }, "InvalidRequestException", "baseRatePerMinute must be at most 1000"],
      [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 5.5, rateIncreaseCriteria: {} } } }, "InvalidRequestException", "incrementFactor must be at most 5"],
      [{ abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 101, minNumberOfExecutedThings: 1 }] } }, "InvalidRequestException", "abortConfig.criteriaList[0].thresholdPercentage must be at most 100"],
      [{ abortConfig: { criteriaList: [] } }, "InvalidRequestException", "abortConfig.criteriaList must have at least 1 item"],
      [{ timeoutConfig: { inProgressTimeoutInMinutes: 20_000 } }, "InvalidRequestException", "timeoutConfig.inProgressTimeoutInMinutes must be between 1 and 10080"],
      [{ jobExecutionsRetryConfig: { criteriaList: [{ failureType: "FAILED", numberOfRetries: 11 }] } }, "InvalidRequestException", "numberOfRetries must be at most 10"],
      [{ tags: [{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }] }, "InvalidRequestException", "tags[1].Key \"a\" is given twice"],
      [{ targetSelection: "SOMETIMES" }, "InvalidRequestException", "targetSelection must be one of CONTINUOUS, SNAPSHOT"],
    ];
    for (const [extra, name, message] of cases) {
      const f = await failure(createJob("fw-x", extra));
      expect({ extra, name: f.name, status: f.status }).toEqual({ extra, name, status: name === "ResourceNotFoundException" ? 404 : 400 });
      expect(f.message).toContain(message);
    }
    expect((await failure(createJob("ab!x"))).message).toContain('jobId does not match the pattern [a-zA-Z0-9_-]+ (got "ab!x")');
    expect((await failure(createJob("x".repeat(65)))).message).toContain("jobId must be at most 64 characters");
    expect(await admin.jobs()).toEqual([]); // nothing half-created
  });

  it("ListJobs filters by status, targetSelection, thingGroupName/thingGroupId and pages with maxResults/nextToken", async () => {
    const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet" })); // idempotent: same properties
    for (let i = 1; i <= 5; i++) {
      await iot.send(new CreateJobCommand({ jobId: `j${i}`, targets: i % 2 === 0 ? [arn("thinggroup", "fleet")] : [arn("thing", "t1")], document: "{}", targetSelection: i === 5 ? "CONTINUOUS" : "SNAPSHOT" }));
    }
    await admin.executions("j1", "SUCCEEDED");
    const ids = async (input: ListJobsCommandInput) => (await iot.send(new ListJobsCommand(input))).jobs?.map((j) => j.jobId);
    expect(await ids({})).toEqual(["j1", "j2", "j3", "j4", "j5"]);
    expect(await ids({ status: "COMPLETED" })).toEqual(["j1"]);
    expect(await ids({ targetSelection: "CONTINUOUS" })).toEqual(["j5"]);
    expect(await ids({ thingGroupName: "fleet" })).toEqual(["j2", "j4"]);
    expect(await ids({ thingGroupId: group.thingGroupId! })).toEqual(["j2", "j4"]);
    const summary = (await iot.send(new ListJobsCommand({ thingGroupName: "fleet" }))).jobs![0]!;
    expect(summary).toMatchObject({ jobArn: arn("job", "j2"), thingGroupId: group.thingGroupId, targetSelection: "SNAPSHOT", status: "IN_PROGRESS", isConcurrent: false });
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await iot.send(new ListJobsCommand({ maxResults: 2, ...(nextToken !== undefined ? { nextToken } : {}) }));
      pages.push(page.jobs!.map((j) => j.jobId!));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(pages).toEqual([["j1", "j2"], ["j3", "j4"], ["j5"]]);
    expect(await failure(iot.send(new ListJobsCommand({ nextToken: "garbage" })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    // The second page's token as the emulator's ListJobs wrote it before its pages were keyed by job (base64url "o2").
    const olderToken = Buffer.from("o2").toString("base64url");
    expect(await failure(iot.send(new ListJobsCommand({ maxResults: 2, nextToken: olderToken })))).toMatchObject({
      name: "InvalidRequestException",
      status: 400,
      message: expect.stringContaining("restart the listing without nextToken"),
    });
    expect(await failure(iot.send(new ListJobsCommand({ maxResults: 251 })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(await failure(iot.send(new ListJobsCommand({ thingGroupName: "nogroup" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("tags on jobs and thing groups: TagResource merges, UntagResource removes, ListTagsForResource reads; limits and missing ARNs", async () => {
    await createJob("fw-1", { tags: [{ Key: "team", Value: "fw" }] });
    const jobArn = arn("job", "fw-1");
    await iot.send(new TagResourceCommand({ resourceArn: jobArn, tags: [{ Key: "stage", Value: "beta" }, { Key: "team", Value: "platform" }] }));
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: jobArn }))).tags).toEqual([{ Key: "team", Value: "platform" }, { Key: "stage", Value: "beta" }]);
    await iot.send(new UntagResourceCommand({ resourceArn: jobArn, tagKeys: ["team"] }));
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: jobArn }))).tags).toEqual([{ Key: "stage", Value: "beta" }]);
    await iot.send(new TagResourceCommand({ resourceArn: arn("thinggroup", "fleet"), tags: [{ Key: "site", Value: "lab" }] }));
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: arn("thinggroup", "fleet") }))).tags).toEqual([{ Key: "site", Value: "lab" }]);
    expect(await failure(iot.send(new ListTagsForResourceCommand({ resourceArn: arn("job", "nope") })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    expect(await failure(iot.send(new TagResourceCommand({ resourceArn: "not-an-arn", tags: [] })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await failure(iot.send(new TagResourceCommand({ resourceArn: jobArn, tags: many })))).toMatchObject({ name: "LimitExceededException", status: 410 });
  });

  it("things and thing groups: DescribeThing, idempotent CreateThing, conflicts as ResourceAlreadyExistsException", async () => {
    const thing = await iot.send(new DescribeThingCommand({ thingName: "t1" }));
    expect(thing).toMatchObject({ thingName: "t1", thingArn: arn("thing", "t1"), defaultClientId: "t1", version: 1, attributes: {} });
    expect(thing.thingId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await iot.send(new CreateThingCommand({ thingName: "t1" }))).thingId).toBe(thing.thingId);
    expect(await failure(iot.send(new CreateThingCommand({ thingName: "t1", attributePayload: { attributes: { a: "b" } } })))).toMatchObject({ name: "ResourceAlreadyExistsException", status: 409 });
    expect(await failure(iot.send(new DescribeThingCommand({ thingName: "ghost" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    expect(await failure(iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet", thingName: "ghost" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("a CONTINUOUS job reaches things that join its group later and never completes on its own", async () => {
    await iot.send(new CreateJobCommand({ jobId: "c1", targets: [arn("thinggroup", "fleet")], document: "{}", targetSelection: "CONTINUOUS" }));
    await admin.executions("c1", "SUCCEEDED");
    expect((await describe_("c1")).status).toBe("IN_PROGRESS");
    await iot.send(new AddThingToThingGroupCommand({ thingGroupArn: arn("thinggroup", "fleet"), thingArn: arn("thing", "t1") }));
    expect((await describe_("c1")).jobProcessDetails).toMatchObject({ numberOfSucceededThings: 1, numberOfQueuedThings: 1 });
  });

  it("AssociateTargetsWithJob adds targets to a CONTINUOUS IN_PROGRESS job only, queueing their things", async () => {
    await iot.send(new CreateThingCommand({ thingName: "t3" }));
    await iot.send(new CreateJobCommand({ jobId: "c1", targets: [arn("thing", "t1")], document: "{}", targetSelection: "CONTINUOUS" }));
    const answer = await iot.send(new AssociateTargetsWithJobCommand({ jobId: "c1", targets: [arn("thinggroup", "fleet"), arn("thing", "t3")], comment: "more" }));
    expect(answer).toMatchObject({ jobId: "c1", jobArn: arn("job", "c1") });
    const job = await describe_("c1");
    expect(job).toMatchObject({ targets: [arn("thing", "t1"), arn("thinggroup", "fleet"), arn("thing", "t3")], comment: "more", jobProcessDetails: { numberOfQueuedThings: 3 } });
    await createJob("snap");
    expect(await failure(iot.send(new AssociateTargetsWithJobCommand({ jobId: "snap", targets: [arn("thing", "t3")] })))).toMatchObject({ name: "InvalidRequestException", status: 400 });
    expect(await failure(iot.send(new AssociateTargetsWithJobCommand({ jobId: "c1", targets: [arn("thing", "ghost")] })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    const many = Array.from({ length: 98 }, (_, i) => arn("thing", `x${i}`));
    expect(await failure(iot.send(new AssociateTargetsWithJobCommand({ jobId: "c1", targets: many })))).toMatchObject({ name: "LimitExceededException", status: 410 });
  });

  it("GetJobDocument substitutes documentParameters unless beforeSubstitution", async () => {
    const document = '{"url":"${aws:iot:parameter:url}"}';
    await iot.send(new CreateJobCommand({ jobId: "d1", targets: [arn("thing", "t1")], document, documentParameters: { url: "https://example.com/fw.bin" } }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "d1" }))).document).toBe('{"url":"https://example.com/fw.bin"}');
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "d1", beforeSubstitution: true }))).document).toBe(document);
    expect(await failure(iot.send(new GetJobDocumentCommand({ jobId: "nope" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("state is per account and per region", async () => {
    await createJob("fw-1");
    const bob = iotClient(emu().endpoint, emu().otherAccount);
    expect(await failure(bob.send(new DescribeJobCommand({ jobId: "fw-1" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    expect((await bob.send(new ListJobsCommand({}))).jobs).toEqual([]);
    const eu = iotClient(emu().endpoint, emu().account, "eu-west-1");
    expect(await failure(eu.send(new DescribeJobCommand({ jobId: "fw-1" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    await eu.send(new CreateThingCommand({ thingName: "t1" }));
    const euJob = await eu.send(new CreateJobCommand({ jobId: "fw-1", targets: [arn("thing", "t1", emu().account.accountId, "eu-west-1")], document: "{}" }));
    expect(euJob.jobArn).toBe(arn("job", "fw-1", emu().account.accountId, "eu-west-1"));
    expect((await admin.raw("POST", "iot/jobs/fw-1/executions", { status: "SUCCEEDED" })).status).toBe(409); // ambiguous
    expect((await admin.executions("fw-1", "SUCCEEDED", { region: "eu-west-1" })).status).toBe("COMPLETED");
    expect((await describe_("fw-1")).status).toBe("IN_PROGRESS");
  });

  it("at most 10 deletions run at once per account: the 11th is LimitExceededException 410", async () => {
    for (let i = 0; i < 11; i++) {
      await iot.send(new CreateJobCommand({ jobId: `del${i}`, targets: [arn("thing", "t1")], document: "{}" }));
      if (i < 10) await iot.send(new DeleteJobCommand({ jobId: `del${i}`, force: true }));
    }
    expect(await failure(iot.send(new DeleteJobCommand({ jobId: "del10", force: true })))).toMatchObject({ name: "LimitExceededException", status: 410 });
    await emu().admin.advanceClock(61_000);
    await iot.send(new DeleteJobCommand({ jobId: "del10", force: true }));
  });

  it("fault rules match IoT operation names; stats count IoT operations; reset clears IoT state", async () => {
    // Unqualified names (and "*") mean Import/Export only, like the stats keys: IoT's DescribeJob/ListJobs are untouched.
    await emu().admin.setFaults([{ action: "*", kind: "throttle" }, { action: "ListJobs", kind: "error", code: "ServiceUnavailable" }]);
    await createJob("fw-1");
    expect((await describe_("fw-1")).jobId).toBe("fw-1");
    expect((await iot.send(new ListJobsCommand({}))).jobs?.map((j) => j.jobId)).toEqual(["fw-1"]);
    expect((await call(emu().endpoint, "ListJobs", {}, { creds: emu().account })).code).toBe("Throttling");
    await emu().admin.clearFaults();
    await emu().admin.setFaults([{ action: "iot:DescribeJob", kind: "throttle", count: 1 }, { action: "iot:ListJobs", kind: "error", code: "ServiceUnavailableException", count: 1 }]);
    expect(await failure(describe_("fw-1"))).toMatchObject({ name: "ThrottlingException", status: 400 });
    expect((await describe_("fw-1")).jobId).toBe("fw-1");
    expect(await failure(iot.send(new ListJobsCommand({})))).toMatchObject({ name: "ServiceUnavailableException", status: 503 });
    // An "iot:"-qualified rule leaves the Import/Export operation of the same name alone.
    await emu().admin.setFaults({ action: "iot:ListJobs", kind: "error", count: 1 });
    expect((await call(emu().endpoint, "ListJobs", {}, { creds: emu().account })).status).toBe(200);
    expect(await failure(iot.send(new ListJobsCommand({})))).toMatchObject({ name: "InternalFailureException", status: 500 });
    await emu().admin.setFaults({ action: "iot:CreateJob", kind: "drop-after", count: 1 });
    await expect(createJob("fw-2")).rejects.toThrow();
    expect(await failure(createJob("fw-2"))).toMatchObject({ name: "ResourceAlreadyExistsException", status: 409 }); // the lost reply's job exists
    // Counted apart from Import/Export's operations of the same name (its one ListJobs above).
    const stats = await emu().admin.stats();
    expect(stats.byAction).toMatchObject({ ListJobs: 2, "iot:CreateJob": 3, "iot:DescribeJob": 3, "iot:ListJobs": 3, "iot:CreateThing": 2, "iot:CreateThingGroup": 1, "iot:AddThingToThingGroup": 1 });
    await emu().admin.reset();
    expect(await admin.jobs()).toEqual([]);
    expect(await failure(iot.send(new DescribeThingCommand({ thingName: "t1" })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });
});
