/**
 * One description of the IoT model: IotJob's check and the emulator's CreateJob validate with the same code
 * (sdk/iot), so for every input they agree — both accept it, or both refuse it naming the same field with the same
 * service code. Each case goes through provider/iot-inputs' check and, as the wire request the runtime would send,
 * through @aws-sdk/client-iot to the in-process emulator. The cases include the points where the two used to
 * disagree (maximumPerMinute over 1000, an empty rateIncreaseCriteria, the aws: tag prefix, a repeated retry
 * failureType, a documentSource that is not an S3 URL).
 */
import { CreateJobCommand, CreateThingCommand, type IoTClient } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkIotInputs } from "../../../provider/iot/inputs";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { iotClient } from "../../helpers/iot";

let emu: TestEmulator;
let iot: IoTClient;
let thing = "";
let n = 0;

beforeAll(async () => {
  emu = await startTestEmulator({});
  iot = iotClient(emu.endpoint, emu.account);
  thing = (await iot.send(new CreateThingCommand({ thingName: "agree-1" }))).thingArn ?? "";
});
afterAll(async () => {
  iot?.destroy();
  await emu?.close();
});

const rate = (exponentialRate: Record<string, unknown>) => ({ jobExecutionsRolloutConfig: { exponentialRate } });
const abort = (c: Record<string, unknown>) => ({ abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 10, minNumberOfExecutedThings: 1, ...c }] } });

/** Inputs (as a program writes them) and the field a refusal names, or undefined when both must accept. */
const cases: [string, Record<string, unknown>, string | undefined][] = [
  ["a plain job", {}, undefined],
  ["maximumPerMinute 5000 (botocore has no maximum)", { jobExecutionsRolloutConfig: { maximumPerMinute: 5000 } }, undefined],
  ["maximumPerMinute 0", { jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }, "jobExecutionsRolloutConfig.maximumPerMinute"],
  ["an empty rateIncreaseCriteria (the model requires neither member)", rate({ baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: {} }), undefined],
  ["baseRatePerMinute 1001", rate({ baseRatePerMinute: 1001, incrementFactor: 2, rateIncreaseCriteria: {} }), "jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute"],
  ["incrementFactor 1.25", rate({ baseRatePerMinute: 5, incrementFactor: 1.25, rateIncreaseCriteria: {} }), "jobExecutionsRolloutConfig.exponentialRate.incrementFactor"],
  ["thresholdPercentage 10.555", abort({ thresholdPercentage: 10.555 }), "abortConfig.criteriaList[0].thresholdPercentage"],
  ["thresholdPercentage 99.99", abort({ thresholdPercentage: 99.99 }), undefined],
  ["timeout 10080", { timeoutConfig: { inProgressTimeoutInMinutes: 10080 } }, undefined],
  ["timeout 10081", { timeoutConfig: { inProgressTimeoutInMinutes: 10081 } }, "timeoutConfig.inProgressTimeoutInMinutes"],
  ["a repeated retry failureType", { jobExecutionsRetryConfig: { criteriaList: [{ failureType: "ALL", numberOfRetries: 1 }, { failureType: "ALL", numberOfRetries: 2 }] } }, "jobExecutionsRetryConfig.criteriaList"],
  ["a document that is not JSON", { document: "{nope" }, "document"],
  ["a documentSource that is not an S3 URL", { document: undefined, documentSource: "ftp://host/doc.json" }, "documentSource"],
  ["a description with a control character", { description: "bell\u0007" }, "description"],
  ["expiresInSec 30", { presignedUrlConfig: { roleArn: "arn:aws:iam::111111111111:role/presign", expiresInSec: 30 } }, "presignedUrlConfig.expiresInSec"],
  ["a target that is not a thing ARN", { targets: ["arn:aws:s3:::bucket"] }, "targets[0]"],
  ["a schedule time that is not ISO 8601", { schedulingConfig: { startTime: "next tuesday" } }, "schedulingConfig.startTime"],
];

/** The CreateJob request the runtime sends for checked inputs (tags as `[{Key, Value}]`). */
function wire(inputs: Record<string, unknown>): Record<string, unknown> {
  const { tags, jobIdAutoNamed: _a, autoNamePrefix: _p, ...rest } = inputs;
  return { ...rest, ...(tags !== undefined ? { tags: Object.entries(tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value })) } : {}) };
}

describe("IotJob check and the emulator's CreateJob agree (one model, sdk/iot)", () => {
  it.each(cases)("%s", async (_what, edit, field) => {
    const news = { targets: [thing], document: '{"op":"reboot"}', autoNamePrefix: `agree${n++}`, ...edit };
    for (const k of Object.keys(news)) if ((news as Record<string, unknown>)[k] === undefined) delete (news as Record<string, unknown>)[k];
    const checked = checkIotInputs({}, news);
    const answer = await iot.send(new CreateJobCommand(wire(checked.inputs) as unknown as ConstructorParameters<typeof CreateJobCommand>[0])).then(
      () => undefined,
      (e: Error) => e,
    );
    if (field === undefined) {
      expect(checked.failures).toEqual([]);
      expect(answer).toBeUndefined();
      return;
    }
    expect(checked.failures.map((f) => f.property)).toContain(field);
    expect(checked.failures.find((f) => f.property === field)?.reason).toMatch(/\(InvalidRequestException\)$/);
    expect(answer?.name).toBe("InvalidRequestException");
    expect(answer?.message.startsWith(`${field} `)).toBe(true);
  });

  it("a tag with the aws: prefix: check names tags.<key>, the emulator tags[i].Key, both with the same rule", async () => {
    const checked = checkIotInputs({}, { targets: [thing], document: "{}", tags: { "aws:owner": "me" }, autoNamePrefix: "tagged" });
    expect(checked.failures).toEqual([{ property: "tags.aws:owner", reason: "uses the aws: prefix, which is reserved for AWS use (InvalidRequestException)" }]);
    const answer = await iot.send(new CreateJobCommand(wire(checked.inputs) as unknown as ConstructorParameters<typeof CreateJobCommand>[0])).then(() => undefined, (e: Error) => e);
    expect(answer).toMatchObject({ name: "InvalidRequestException", message: "tags[0].Key uses the aws: prefix, which is reserved for AWS use." });
  });
});
