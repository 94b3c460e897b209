import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  GetJobDocumentCommand,
  InvalidRequestException,
  InvalidStateTransitionException,
  ListJobsCommand,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateJobCommand,
} from "@aws-sdk/client-iot";
import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../helpers/emulator";
import { iotAdmin, iotClient } from "../helpers/iot";

const run = promisify(execFile);

type Answer = { status: number; value?: Record<string, any>; types?: Record<string, any>; code?: string; message?: string; modelled?: string };

/**
 * Where moto 5.2.1 departs from the service model (and so from the emulator), per call of iot_boto3_flow.py, with
 * why. Each entry is checked to still hold for moto, so the list cannot go stale silently.
 */
const MOTO_DEPARTURES: Record<string, { why: string; moto: Partial<Answer> }> = {
  duplicate: { why: "moto overwrites a job on a duplicate CreateJob; the service answers ResourceAlreadyExistsException 409", moto: { status: 200 } },
  update: { why: "moto has no UpdateJob (500, NotImplementedError)", moto: { status: 500 } },
  updateCanceled: { why: "moto has no UpdateJob (500, NotImplementedError)", moto: { status: 500 } },
  updateMissing: { why: "moto has no UpdateJob (500, NotImplementedError)", moto: { status: 500 } },
  tag: { why: "moto has no TagResource (500)", moto: { status: 500 } },
  untag: { why: "moto has no UntagResource (500)", moto: { status: 500 } },
  tags: { why: "moto has no ListTagsForResource (500)", moto: { status: 500 } },
  page1: { why: "moto 5.2.1's ListJobs paginator fails on maxResults (500, AttributeError: 'FakeJob' object has no attribute 'jobId')", moto: { status: 500 } },
  page2: { why: "follows from page1: moto handed out no nextToken, so the script never asked for a second page", moto: {} },
  deleteInProgress: { why: "moto never sets IN_PROGRESS (its jobs stay QUEUED), so its force check is dead code: delete without force succeeds", moto: { status: 200 } },
  cancelAgain: { why: "moto cancels a CANCELED job again; the emulator refuses without force (a documented ⚠ choice)", moto: { status: 200 } },
  describeDeleted: { why: "moto deletes at once; the service (and the emulator) show DELETION_IN_PROGRESS first", moto: { status: 404, code: "ResourceNotFoundException" } },
  deleteForce: { why: "in moto fw-2 is already gone (deleteInProgress succeeded there), so this is a KeyError 500", moto: { status: 500 } },
  cancelMissing: { why: "moto answers a missing job with a Python KeyError (500), not ResourceNotFoundException 404", moto: { status: 500 } },
  deleteMissing: { why: "moto answers a missing job with a Python KeyError (500), not ResourceNotFoundException 404", moto: { status: 500 } },
  documentMissing: { why: "moto answers a missing job with a Python KeyError (500), not ResourceNotFoundException 404", moto: { status: 500 } },
  badJobId: { why: "moto checks only the first character of jobId against [a-zA-Z0-9_-] (re.match without +)", moto: { status: 200 } },
  missingTarget: { why: "moto does not check that targets exist", moto: { status: 200 } },
};

/** Members whose values follow from an earlier departure (status and shapes still agree), per call, with why. */
const UPDATED = ["job.abortConfig", "job.timeoutConfig"];
const MOTO_STALE_VALUES: Record<string, { why: string; members: string[] }> = {
  describeAfterUpdate: { why: "moto had no UpdateJob, so it still shows the values from CreateJob", members: UPDATED },
  describeCanceled: { why: "moto had no UpdateJob, so it still shows the values from CreateJob", members: UPDATED },
};

/** Members the model has that moto leaves out (the emulator sends them), or the reverse, with why. */
const MOTO_MEMBER_DEPARTURES: Record<string, string> = {
  "job.isConcurrent": "moto omits isConcurrent (a model member of Job)",
  "job.jobProcessDetails.numberOfTimedOutThings": "moto omits numberOfTimedOutThings (a model member of JobProcessDetails)",
  "jobs[].isConcurrent": "moto omits isConcurrent in JobSummary",
  "jobs[].thingGroupId": "moto never fills JobSummary.thingGroupId, even for a job that targets a thing group",
  "job.completedAt": "moto does not stamp completedAt on cancel",
  "job.jobProcessDetails.processingTargets": "moto keeps processingTargets after a cancel; the emulator lists them only while IN_PROGRESS",
};

/** Values that legitimately differ (the rest must be equal), with why. */
const MOTO_VALUE_DEPARTURES: Record<string, string> = {
  status: "moto's job status is QUEUED (not a JobStatus value); the service says IN_PROGRESS",
  jobArn: "account ids differ (moto 123456789012)",
  thingArn: "account ids differ",
  thingGroupArn: "account ids differ",
  targets: "account ids differ",
  processingTargets: "account ids differ",
  thingId: "generated ids",
  thingGroupId: "generated ids",
  createdAt: "clock",
  lastUpdatedAt: "clock",
  completedAt: "clock",
  description: "after the duplicate CreateJob moto holds the overwritten job's description",
  numberOfQueuedThings: "moto queues one execution per target ARN; the emulator one per thing (the group's member too)",
  numberOfCanceledThings: "follows from the queued count",
  defaultClientId: "moto leaves it out of DescribeThing",
};

/** Member paths present on one side only. */
function memberDiff(ours: unknown, theirs: unknown, path = ""): string[] {
  if (ours === null || theirs === null || typeof ours !== "object" || typeof theirs !== "object") return [];
  if (Array.isArray(ours) && Array.isArray(theirs)) return ours.length > 0 && theirs.length > 0 ? memberDiff(ours[0], theirs[0], `${path}[]`) : [];
  const a = ours as Record<string, unknown>;
  const b = theirs as Record<string, unknown>;
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const p = path === "" ? k : `${path}.${k}`;
    if (!(k in a) || !(k in b)) out.push(p);
    else out.push(...memberDiff(a[k], b[k], p));
  }
  return out;
}

/** Python types botocore parsed for the same member that differ (lists compare their first items when both have one). */
function typeDiff(ours: unknown, theirs: unknown, path = ""): string[] {
  if (Array.isArray(ours) && Array.isArray(theirs)) return ours.length > 0 && theirs.length > 0 ? typeDiff(ours[0], theirs[0], `${path}[]`) : [];
  if (ours !== null && theirs !== null && typeof ours === "object" && typeof theirs === "object") {
    return Object.keys(ours).filter((k) => k in theirs).flatMap((k) => typeDiff((ours as any)[k], (theirs as any)[k], path === "" ? k : `${path}.${k}`));
  }
  return ours === theirs ? [] : [`${path}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`];
}

/** Values of the same member that differ, skipping MOTO_VALUE_DEPARTURES. */
function valueDiff(ours: unknown, theirs: unknown, path = ""): string[] {
  const leaf = path.split(".").pop()?.replace(/\[\]$/, "") ?? "";
  if (leaf in MOTO_VALUE_DEPARTURES) return [];
  if (ours !== null && theirs !== null && typeof ours === "object" && typeof theirs === "object") {
    if (Array.isArray(ours) !== Array.isArray(theirs)) return [path];
    const keys = Array.isArray(ours) ? [...Array(Math.max(ours.length, (theirs as unknown[]).length)).keys()].map(String) : Object.keys(ours).filter((k) => k in (theirs as object));
    return keys.flatMap((k) => valueDiff((ours as any)[k], (theirs as any)[k], Array.isArray(ours) ? `${path}[]` : path === "" ? k : `${path}.${k}`));
  }
  return ours === theirs ? [] : [`${path}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`];
}

describe("IoT conformance: clients nobody here wrote (boto3, AWS CLI v1, @aws-sdk/client-iot) and moto as an oracle", () => {
  const emu = withEmulator({ iotDeletionDelayMs: 60_000 });
  const home = mkdtempSync(join(tmpdir(), "ie-iot-conformance-"));
  const env = (keys: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv => ({
    PATH: process.env["PATH"],
    HOME: home,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const flow = async (mode: "emulator" | "moto"): Promise<Record<string, Answer>> => {
    const keys = mode === "emulator" ? emu().account : { accessKeyId: "testing", secretAccessKey: "testing" };
    const { stdout } = await run("python3", [join(__dirname, "iot_boto3_flow.py"), emu().endpoint, mode], { env: env(keys), timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as Record<string, Answer>;
  };
  const arn = (kind: string, name: string): string => `arn:aws:iot:us-east-1:${emu().account.accountId}:${kind}/${name}`;
  let ours: Record<string, Answer> | undefined;

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it("boto3 iot: create → describe → document → duplicate 409 → update → tags → list/filter/page → cancel → 400 refusals → delete → 404s", async () => {
    ours = await flow("emulator");
    const o = ours;
    expect(o["create"]).toMatchObject({ status: 200, value: { jobId: "fw-1", jobArn: arn("job", "fw-1"), description: "firmware 1.2" } });
    expect(o["describe"]?.value?.["job"]).toMatchObject({
      status: "IN_PROGRESS",
      targetSelection: "SNAPSHOT",
      targets: [arn("thing", "sensor-1"), arn("thinggroup", "fleet")],
      presignedUrlConfig: { roleArn: "arn:aws:iam::123456789012:role/presign", expiresInSec: 600 },
      jobProcessDetails: { numberOfQueuedThings: 2 },
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
    expect(o["describe"]?.types?.["job"]).toMatchObject({ createdAt: "datetime", lastUpdatedAt: "datetime", forceCanceled: "bool", abortConfig: { criteriaList: [{ thresholdPercentage: "float", minNumberOfExecutedThings: "int" }] } });
    expect(o["document"]?.value?.["document"]).toBe('{"operation": "firmware", "version": "${aws:iot:parameter:version}"}');
    expect(o["duplicate"]).toMatchObject({ status: 409, code: "ResourceAlreadyExistsException", modelled: "ResourceAlreadyExistsException" });
    expect(o["describeAfterDuplicate"]?.value?.["job"]?.description).toBe("firmware 1.2");
    expect(o["update"]).toMatchObject({ status: 200 });
    expect(o["describeAfterUpdate"]?.value?.["job"]).toMatchObject({ description: "firmware 1.3", timeoutConfig: { inProgressTimeoutInMinutes: 60 }, abortConfig: { criteriaList: [{ failureType: "ALL", thresholdPercentage: 25.5 }] }, presignedUrlConfig: { expiresInSec: 600 } });
    expect(o["tags"]?.value).toEqual({ tags: [{ Key: "stage", Value: "beta" }] });
    expect(o["list"]?.value?.["jobs"].map((j: { jobId: string }) => j.jobId)).toEqual(["fw-1", "fw-2"]);
    expect(o["listCompleted"]?.value?.["jobs"]).toEqual([]);
    expect(o["listContinuous"]?.value?.["jobs"].map((j: { jobId: string }) => j.jobId)).toEqual(["fw-2"]);
    expect([o["page1"]?.value?.["jobs"].length, o["page2"]?.value?.["jobs"][0].jobId, o["page2"]?.value?.["nextToken"]]).toEqual([1, "fw-2", undefined]);
    expect(o["deleteInProgress"]).toMatchObject({ status: 409, code: "InvalidStateTransitionException", modelled: "InvalidStateTransitionException" });
    expect(o["describeCanceled"]?.value?.["job"]).toMatchObject({ status: "CANCELED", reasonCode: "BAD_BUILD", comment: "rolled back", forceCanceled: false });
    expect(o["updateCanceled"]).toMatchObject({ status: 400, code: "InvalidRequestException", modelled: "InvalidRequestException" });
    expect(o["cancelAgain"]).toMatchObject({ status: 400, code: "InvalidRequestException" });
    expect(o["cancelForce"]).toMatchObject({ status: 200 });
    expect(o["describeDeleted"]?.value?.["job"]).toMatchObject({ status: "DELETION_IN_PROGRESS", forceCanceled: true });
    for (const name of ["describeMissing", "cancelMissing", "deleteMissing", "documentMissing", "updateMissing", "missingTarget"]) {
      expect({ name, ...o[name] }).toMatchObject({ name, status: 404, code: "ResourceNotFoundException", modelled: "ResourceNotFoundException" });
    }
    expect(o["badJobId"]).toMatchObject({ status: 400, code: "InvalidRequestException" });
    expect(o["badJobId"]?.message).toContain("jobId");
    expect(o["longJobId"]).toMatchObject({ status: 400, code: "InvalidRequestException" });
    const stats = await emu().admin.stats();
    expect(stats.byAction).toMatchObject({ "iot:CreateJob": 6, "iot:UpdateJob": 3, "iot:DescribeJob": 6, "iot:CancelJob": 4, "iot:DeleteJob": 4, "iot:ListJobs": 5, "iot:TagResource": 1 });
  });

  it("moto oracle: the same boto3 calls against moto 5.2.1 answer alike, except the listed departures", async () => {
    const theirs = await flow("moto");
    const o = ours ?? (await flow("emulator"));
    const checked: string[] = [];
    for (const [name, answer] of Object.entries(o)) {
      if (typeof answer !== "object" || answer === null || !("status" in answer)) continue;
      const moto = theirs[name];
      const departure = MOTO_DEPARTURES[name];
      if (departure !== undefined) {
        expect({ name, ...moto }, departure.why).toMatchObject({ name, ...departure.moto });
        expect(moto?.status === answer.status && moto?.code === answer.code, `${name} is listed as a departure but moto now agrees`).toBe(false);
        continue;
      }
      expect({ name, status: moto?.status, code: moto?.code }).toEqual({ name, status: answer.status, code: answer.code });
      if (answer.types !== undefined) {
        const extra = memberDiff(answer.types, moto?.types).filter((p) => !(p in MOTO_MEMBER_DEPARTURES));
        expect({ name, members: extra }).toEqual({ name, members: [] });
        const typeClash = typeDiff(answer.types, moto?.types);
        expect({ name, types: typeClash }).toEqual({ name, types: [] });
      }
      if (answer.value !== undefined && !name.startsWith("list")) {
        const stale = MOTO_STALE_VALUES[name]?.members ?? [];
        const values = valueDiff(answer.value, moto?.value).filter((d) => !stale.some((m) => d.startsWith(m)));
        expect({ name, values }).toEqual({ name, values: [] });
      }
      checked.push(name);
    }
    // moto ignores ListJobs filters (documented in its code): the emulator filters.
    expect(theirs["listCompleted"]?.value?.["jobs"].length).toBe(2);
    expect(o["listCompleted"]?.value?.["jobs"].length).toBe(0);
    expect(theirs["describe"]?.value?.["job"]?.status).toBe("QUEUED");
    expect(checked).toEqual(expect.arrayContaining(["create", "describe", "document", "documentBefore", "list", "cancel", "describeCanceled", "cancelForce", "delete", "describeMissing", "longJobId", "createThing", "describeThing", "createGroup"]));
    console.log(`moto oracle: ${checked.length} calls agree, ${Object.keys(MOTO_DEPARTURES).length} documented departures`);
  });

  it("AWS CLI v1: aws iot create-job / update-job / describe-job / list-jobs / cancel-job / delete-job, and its error codes", async () => {
    const e = env(emu().account);
    const aws = async (...args: string[]): Promise<Record<string, any>> => {
      const { stdout } = await run("aws", ["iot", ...args, "--endpoint-url", emu().endpoint, "--output", "json"], { env: e, timeout: 120_000 });
      return stdout.trim().length > 0 ? (JSON.parse(stdout) as Record<string, any>) : {};
    };
    const awsFails = async (...args: string[]): Promise<string> => {
      try {
        await run("aws", ["iot", ...args, "--endpoint-url", emu().endpoint, "--output", "json"], { env: e, timeout: 120_000 });
      } catch (err) {
        const { code, stderr } = err as { code: number; stderr: string };
        expect(code).toBe(255);
        return stderr;
      }
      throw new Error(`aws iot ${args.join(" ")} should have failed`);
    };
    await aws("create-thing", "--thing-name", "cli-thing");
    const created = await aws("create-job", "--job-id", "cli-1", "--targets", arn("thing", "cli-thing"), "--document", '{"op":"reboot"}', "--description", "one",
      "--abort-config", JSON.stringify({ criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 10, minNumberOfExecutedThings: 1 }] }));
    expect(created).toEqual({ jobArn: arn("job", "cli-1"), jobId: "cli-1", description: "one" });
    await aws("create-job", "--job-id", "cli-2", "--targets", arn("thing", "cli-thing"), "--document", "{}", "--target-selection", "CONTINUOUS");
    expect(await awsFails("create-job", "--job-id", "cli-1", "--targets", arn("thing", "cli-thing"), "--document", "{}")).toContain("An error occurred (ResourceAlreadyExistsException) when calling the CreateJob operation: Job cli-1 already exists.");
    expect(await aws("update-job", "--job-id", "cli-1", "--description", "two", "--timeout-config", "inProgressTimeoutInMinutes=30")).toEqual({});
    const described = await aws("describe-job", "--job-id", "cli-1");
    expect(described["job"]).toMatchObject({ jobId: "cli-1", status: "IN_PROGRESS", description: "two", timeoutConfig: { inProgressTimeoutInMinutes: 30 }, jobProcessDetails: { numberOfQueuedThings: 1 } });
    expect(typeof described["job"].createdAt).toBe("number"); // the CLI prints epoch seconds as it parsed them
    const listed = await aws("list-jobs", "--page-size", "1");
    expect(listed["jobs"].map((j: { jobId: string }) => j.jobId)).toEqual(["cli-1", "cli-2"]); // two pages, merged by the CLI
    expect((await aws("list-jobs", "--target-selection", "CONTINUOUS"))["jobs"].map((j: { jobId: string }) => j.jobId)).toEqual(["cli-2"]);
    expect(await awsFails("delete-job", "--job-id", "cli-1")).toContain("(InvalidStateTransitionException)");
    expect(await aws("cancel-job", "--job-id", "cli-1", "--reason-code", "OPS", "--comment", "stop")).toMatchObject({ jobId: "cli-1" });
    expect((await aws("describe-job", "--job-id", "cli-1"))["job"]).toMatchObject({ status: "CANCELED", reasonCode: "OPS", comment: "stop" });
    expect(await awsFails("update-job", "--job-id", "cli-1", "--description", "three")).toContain("An error occurred (InvalidRequestException) when calling the UpdateJob operation");
    expect(await aws("delete-job", "--job-id", "cli-1")).toEqual({});
    expect(await aws("delete-job", "--job-id", "cli-2", "--force")).toEqual({});
    expect((await aws("list-jobs", "--status", "DELETION_IN_PROGRESS"))["jobs"]).toHaveLength(2);
    await emu().admin.advanceClock(61_000);
    expect(await awsFails("describe-job", "--job-id", "cli-1")).toContain("An error occurred (ResourceNotFoundException) when calling the DescribeJob operation");
    expect(await awsFails("create-job", "--job-id", "bad!id", "--targets", arn("thing", "cli-thing"), "--document", "{}")).toContain("(InvalidRequestException)");
    const stats = await emu().admin.stats();
    expect(stats.byAction["iot:ListJobs"]).toBe(4); // --page-size 1 took two pages (with a nextToken), the filters one each
  }, 240_000);

  it("@aws-sdk/client-iot: lifecycle with UpdateJob, tags and the modelled error classes", async () => {
    const iot = iotClient(emu().endpoint, emu().account);
    await iot.send(new CreateThingCommand({ thingName: "js-thing" }));
    const target = arn("thing", "js-thing");
    await iot.send(new CreateJobCommand({ jobId: "js-1", targets: [target], document: '{"v":1}', description: "one", tags: [{ Key: "app", Value: "fw" }] }));
    await expect(iot.send(new CreateJobCommand({ jobId: "js-1", targets: [target], document: "{}" }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await iot.send(new UpdateJobCommand({ jobId: "js-1", description: "two", jobExecutionsRolloutConfig: { maximumPerMinute: 100 } }));
    expect((await iot.send(new DescribeJobCommand({ jobId: "js-1" }))).job).toMatchObject({ description: "two", jobExecutionsRolloutConfig: { maximumPerMinute: 100 }, status: "IN_PROGRESS" });
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "js-1" }))).document).toBe('{"v":1}');
    await iot.send(new TagResourceCommand({ resourceArn: arn("job", "js-1"), tags: [{ Key: "env", Value: "dev" }] }));
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: arn("job", "js-1") }))).tags).toEqual([{ Key: "app", Value: "fw" }, { Key: "env", Value: "dev" }]);
    await expect(iot.send(new DeleteJobCommand({ jobId: "js-1" }))).rejects.toBeInstanceOf(InvalidStateTransitionException);
    await iotAdmin(emu().endpoint).executions("js-1", "SUCCEEDED");
    expect((await iot.send(new ListJobsCommand({ status: "COMPLETED" }))).jobs?.map((j) => j.jobId)).toEqual(["js-1"]);
    const refusal = await iot.send(new UpdateJobCommand({ jobId: "js-1", description: "three" })).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(InvalidRequestException);
    expect((refusal as InvalidRequestException).$metadata.httpStatusCode).toBe(400);
    expect((refusal as InvalidRequestException).$fault).toBe("client");
    await expect(iot.send(new CancelJobCommand({ jobId: "js-1" }))).rejects.toBeInstanceOf(InvalidRequestException);
    await iot.send(new DeleteJobCommand({ jobId: "js-1" }));
    await emu().admin.advanceClock(61_000);
    const missing = await iot.send(new DescribeJobCommand({ jobId: "js-1" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((missing as ResourceNotFoundException).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
