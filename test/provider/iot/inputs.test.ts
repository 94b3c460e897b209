/**
 * IotJob's check (provider/iot-inputs): every rule a bad input breaks is a failure naming the field path and the
 * rule, before any API call; auto-naming is stable across previews and fresh for a replacement.
 */
import { describe, expect, it } from "vitest";
import { autoJobId, checkIotInputs } from "../../../provider/iot/inputs";
import { UNKNOWN } from "../../../provider/core/policy";

const GROUP = "arn:aws:iot:us-east-1:111111111111:thinggroup/fleet";
const THING = "arn:aws:iot:eu-west-1:111111111111:thing/sensor-1";
const good = { targets: [GROUP], document: '{"operation":"reboot"}', autoNamePrefix: "rollout" };
const failuresOf = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkIotInputs(olds, news).failures;

describe("checkIotInputs: valid inputs", () => {
  it("auto-names jobId <name>-<7 random>, marks it, and keeps it while the olds carry it", () => {
    const first = checkIotInputs({}, good);
    expect(first.failures).toEqual([]);
    expect(first.inputs["jobId"]).toMatch(/^rollout-[a-z0-9]{7}$/);
    expect(first.inputs["jobIdAutoNamed"]).toBe(true);
    const again = checkIotInputs(first.inputs, good);
    expect(again.inputs["jobId"]).toBe(first.inputs["jobId"]);
    // No olds (a new resource, or the engine's re-check for a replacement): a fresh name.
    expect(checkIotInputs({}, good).inputs["jobId"]).not.toBe(first.inputs["jobId"]);
  });

  it("a user's jobId wins and is not marked; removing it later generates one", () => {
    const fixed = checkIotInputs({}, { ...good, jobId: "fw_2024-01" });
    expect(fixed.inputs).toMatchObject({ jobId: "fw_2024-01" });
    expect(fixed.inputs["jobIdAutoNamed"]).toBeUndefined();
    expect(checkIotInputs(fixed.inputs, good).inputs["jobId"]).toMatch(/^rollout-/);
  });

  it("auto-names fit 64 characters of [a-zA-Z0-9_-] whatever the resource name", () => {
    for (const prefix of ["a".repeat(200), "my.job/with spaces", "", "ünïcode"]) {
      const id = autoJobId(prefix);
      expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
    expect(autoJobId("x".repeat(100))).toHaveLength(64);
  });

  it("fills presignedUrlConfig.expiresInSec with the service default, so leaving it out is no change", () => {
    const r = checkIotInputs({}, { ...good, presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/presign" } });
    expect(r.inputs["presignedUrlConfig"]).toEqual({ roleArn: "arn:aws:iam::111111111111:role/presign", expiresInSec: 3600 });
  });

  it("accepts every member at its limits", () => {
    expect(
      failuresOf({
        ...good,
        targets: [GROUP, THING],
        description: "d".repeat(2028),
        targetSelection: "CONTINUOUS",
        jobExecutionsRolloutConfig: { maximumPerMinute: 1000, exponentialRate: { baseRatePerMinute: 1, incrementFactor: 5, rateIncreaseCriteria: { numberOfSucceededThings: 1 } } },
        abortConfig: { criteriaList: [{ failureType: "ALL", action: "CANCEL", thresholdPercentage: 99.99, minNumberOfExecutedThings: 1 }] },
        timeoutConfig: { inProgressTimeoutInMinutes: 10080 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: "TIMED_OUT", numberOfRetries: 10 }] },
        tags: { "team:fleet": "", env: "prod" },
        schedulingConfig: { startTime: "2030-01-01T00:00", endBehavior: "STOP_ROLLOUT", maintenanceWindows: [{ startTime: "cron(0 0 * * ? *)", durationInMinutes: 1430 }] },
        forceCancel: true,
      }),
    ).toEqual([]);
  });

  it("follows botocore where the docs say more: a maximumPerMinute over 1000 is accepted (the model has no maximum)", () => {
    expect(failuresOf({ ...good, jobExecutionsRolloutConfig: { maximumPerMinute: 5000 } })).toEqual([]);
    expect(failuresOf({ ...good, jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 2, rateIncreaseCriteria: {} } } })).toEqual([]);
  });

  it("passes unknown values (preview) through unchecked", () => {
    const r = checkIotInputs({}, { ...good, targets: [UNKNOWN], document: UNKNOWN });
    expect(r.failures).toEqual([]);
    expect(r.hasUnknowns).toBe(true);
  });
});

describe("checkIotInputs: each broken rule is a failure naming the field and the rule", () => {
  it.each([
    ["a document that is not JSON", { document: "{not json" }, "document", /is not valid JSON.*InvalidRequestException/],
    ["a document that is a JSON string", { document: '"x"' }, "document", /must be a JSON object/],
    ["no document at all", { document: undefined }, "document", /is required \(or documentSource/],
    ["document and documentSource", { documentSource: "https://s3.amazonaws.com/b/k" }, "documentSource", /exclude each other/],
    ["a rollout rate of 0", { jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }, "jobExecutionsRolloutConfig.maximumPerMinute", /^must be at least 1 \(got 0\) \(InvalidRequestException\)$/],
    ["a base rate of 1001", { jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1001, incrementFactor: 2, rateIncreaseCriteria: {} } } }, "jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute", /must be at most 1000 \(got 1001\)/],
    ["an increment factor of 5.5", { jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 5.5, rateIncreaseCriteria: { numberOfNotifiedThings: 1 } } } }, "jobExecutionsRolloutConfig.exponentialRate.incrementFactor", /must be at most 5 \(got 5.5\)/],
    ["an increment factor of 1.25", { jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 1.25, rateIncreaseCriteria: { numberOfNotifiedThings: 1 } } } }, "jobExecutionsRolloutConfig.exponentialRate.incrementFactor", /at most one decimal place \(got 1.25\)/],
    ["a bad jobId", { jobId: "ab!x" }, "jobId", /does not match the pattern \[a-zA-Z0-9_-\]\+ \(got "ab!x"\) \(InvalidRequestException\)/],
    ["a 65-character jobId", { jobId: "a".repeat(65) }, "jobId", /must be at most 64 characters long/],
    ["a target that is not an ARN", { targets: ["fleet"] }, "targets[0]", /thing or thing group ARN/],
    ["a target of another service", { targets: ["arn:aws:s3:::bucket"] }, "targets[0]", /thing or thing group ARN/],
    ["a repeated target", { targets: [GROUP, GROUP] }, "targets[1]", /targets are a set/],
    ["no targets", { targets: [] }, "targets", /must have at least 1 item/],
    ["101 targets", { targets: Array.from({ length: 101 }, (_, i) => `${THING}${i}`) }, "targets", /at most 100/],
    ["missing targets", { targets: undefined }, "targets", /is required/],
    ["an abort threshold over 100", { abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 101, minNumberOfExecutedThings: 1 }] } }, "abortConfig.criteriaList[0].thresholdPercentage", /must be at most 100/],
    ["an abort action other than CANCEL", { abortConfig: { criteriaList: [{ failureType: "FAILED", action: "PAUSE", thresholdPercentage: 1, minNumberOfExecutedThings: 1 }] } }, "abortConfig.criteriaList[0].action", /one of CANCEL/],
    ["a timeout of 10081 minutes", { timeoutConfig: { inProgressTimeoutInMinutes: 10081 } }, "timeoutConfig.inProgressTimeoutInMinutes", /must be between 1 and 10080/],
    ["11 retries", { jobExecutionsRetryConfig: { criteriaList: [{ failureType: "FAILED", numberOfRetries: 11 }] } }, "jobExecutionsRetryConfig.criteriaList[0].numberOfRetries", /must be at most 10/],
    ["one retry failureType twice", { jobExecutionsRetryConfig: { criteriaList: [{ failureType: "FAILED", numberOfRetries: 1 }, { failureType: "FAILED", numberOfRetries: 2 }] } }, "jobExecutionsRetryConfig.criteriaList", /names a failureType twice/],
    ["a tag key with the aws: prefix", { tags: { "aws:owner": "x" } }, "tags.aws:owner", /aws: prefix/],
    ["a documentSource that is not an S3 URL", { document: undefined, documentSource: "ftp://x/y" }, "documentSource", /must be an S3 URL/],
    ["a schedule time that is not ISO 8601", { schedulingConfig: { startTime: "tomorrow" } }, "schedulingConfig.startTime", /ISO 8601/],
    ["an expiry of 30 s", { presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/presign", expiresInSec: 30 } }, "presignedUrlConfig.expiresInSec", /must be at least 60/],
    ["a control character in the description", { description: "a\u0007b" }, "description", /does not match the pattern \[\^\\p\{C\}\]\+/],
    ["a bad targetSelection", { targetSelection: "ALWAYS" }, "targetSelection", /one of CONTINUOUS, SNAPSHOT/],
    ["a bad tag key", { tags: { "bad#key": "v" } }, "tags.bad#key", /tag key/],
    ["an unknown member of a struct", { timeoutConfig: { minutes: 5 } }, "timeoutConfig.minutes", /is not a member of timeoutConfig/],
    ["an input IotJob does not have", { colour: "blue" }, "colour", /is not an input of IotJob/],
    ["the provider's own marker", { jobIdAutoNamed: true }, "jobIdAutoNamed", /set by the provider/],
  ])("%s", (_what, edit, property, reason) => {
    const failures = failuresOf({ ...good, ...edit });
    const f = failures.find((x) => x.property === property);
    expect(f, JSON.stringify(failures)).toBeDefined();
    expect(f?.reason).toMatch(reason);
  });

  it("never names a secret value: a bad role ARN is reported at its member, a bad parameter without its value", () => {
    const failures = failuresOf({ ...good, presignedUrlConfig: { roleArn: "short-secret" }, documentParameters: { token: "bad\u0000secret-value" } });
    expect(failures.map((f) => f.property).sort()).toEqual(["documentParameters.token", "presignedUrlConfig.roleArn"]);
    expect(JSON.stringify(failures)).not.toMatch(/short-secret|secret-value/);
  });
});
