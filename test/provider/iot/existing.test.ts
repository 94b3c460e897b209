/**
 * The inputs of an IoT job the stack does not hold yet (provider/iot/existing), read from what the service reports:
 * exactly the table's service inputs, the service's defaults and empty members left out, the document or its source.
 */
import { describe, expect, it } from "vitest";
import { inputsOfExistingJob } from "../../../provider/iot/existing";
import type { Job } from "../../../provider/iot/outputs";

const ARN = "arn:aws:iot:us-east-1:111111111111:thing/a";
const job = (extra: Partial<Job> = {}): Job => ({
  jobArn: "arn:aws:iot:us-east-1:111111111111:job/fw-1",
  jobId: "fw-1",
  status: "IN_PROGRESS",
  targetSelection: "SNAPSHOT",
  targets: [ARN],
  createdAt: new Date(0),
  jobProcessDetails: { numberOfQueuedThings: 1 },
  ...extra,
});

describe("inputsOfExistingJob", () => {
  it("takes the service's inputs only: no status, ARN, dates or counts; SNAPSHOT (the default) and empty members left out", () => {
    const inputs = inputsOfExistingJob("fw-1", { job: job({ destinationPackageVersions: [], description: "d", timeoutConfig: { inProgressTimeoutInMinutes: 5 } }), document: "{}", tags: {} });
    expect(inputs).toEqual({ jobId: "fw-1", targets: [ARN], document: "{}", description: "d", timeoutConfig: { inProgressTimeoutInMinutes: 5 } });
  });

  it("keeps CONTINUOUS, the tags, a template's parameters, and a documentSource in place of a document", () => {
    const inputs = inputsOfExistingJob("fw-1", {
      job: job({ targetSelection: "CONTINUOUS", jobTemplateArn: "arn:aws:iot:us-east-1:111111111111:jobtemplate/t", documentParameters: { v: "2" } }),
      documentSource: "s3://bucket/job.json",
      tags: { team: "a" },
    });
    expect(inputs).toEqual({
      jobId: "fw-1",
      targets: [ARN],
      targetSelection: "CONTINUOUS",
      jobTemplateArn: "arn:aws:iot:us-east-1:111111111111:jobtemplate/t",
      documentParameters: { v: "2" },
      documentSource: "s3://bucket/job.json",
      tags: { team: "a" },
    });
  });
});
