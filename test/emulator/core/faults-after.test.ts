/**
 * Faults that act after the operation ran (issue 22 item 5): `error`/`throttle` rules with `"after": true` let the
 * call do its work (CreateJob creates and persists the job) and then answer the error anyway — a service that
 * created and then lied, which a client retrying such answers must survive. Both wire edges (Query and IoT's
 * rest-json) honour it; a rule without `after` still refuses before anything happens.
 */
import { CreateJobCommand, CreateThingCommand } from "@aws-sdk/client-iot";
import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { iotAdmin, iotClient } from "../../helpers/iot";
import { call, importManifest } from "../raw-client";

describe("fault rules applied after the operation", () => {
  const emu = withEmulator();
  const alice = () => ({ creds: emu().account });
  const createJob = () => call(emu().endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, alice());

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it.each([
    [{ kind: "error", status: 503, code: "ServiceUnavailable" }, 503, "ServiceUnavailable"],
    [{ kind: "throttle" }, 400, "Throttling"],
    [{ kind: "error" }, 500, "InternalFailure"],
  ] as const)("CreateJob %j with after: true creates the job, then answers %i %s", async (rule, status, code) => {
    await emu().admin.setFaults({ action: "CreateJob", ...rule, after: true, count: 1 });
    const r = await createJob();
    expect([r.status, r.code]).toEqual([status, code]);
    expect(await emu().admin.jobs()).toHaveLength(1); // it ran
    // The rule is spent: the next call is answered truthfully.
    expect((await createJob()).status).toBe(200);
    expect(await emu().admin.jobs()).toHaveLength(2);
  });

  it("without after the same rule refuses before anything is created", async () => {
    await emu().admin.setFaults({ action: "CreateJob", kind: "error", status: 503, code: "ServiceUnavailable", count: 1 });
    expect((await createJob()).code).toBe("ServiceUnavailable");
    expect(await emu().admin.jobs()).toHaveLength(0);
  });

  it("iot:CreateJob with after: true creates the IoT job, then answers the error", async () => {
    await emu().admin.setFaults({ action: "iot:CreateJob", kind: "throttle", after: true, count: 1 });
    const iot = iotClient(emu().endpoint, emu().account);
    await iot.send(new CreateThingCommand({ thingName: "t1" }));
    const target = `arn:aws:iot:us-east-1:${emu().account.accountId}:thing/t1`;
    const err = await iot.send(new CreateJobCommand({ jobId: "fw-after", targets: [target], document: "{}" })).catch((e: unknown) => e);
    expect((err as Error).name).toBe("ThrottlingException");
    expect((await iotAdmin(emu().endpoint).jobs()).map((j) => j.jobId)).toContain("fw-after");
    iot.destroy();
  });

  it("after is refused on kinds it does not apply to, and must be a boolean", async () => {
    await expect(emu().admin.setFaults({ action: "CreateJob", kind: "drop-after", after: true })).rejects.toThrow(/after applies only to kinds error and throttle/);
    await expect(emu().admin.setFaults({ action: "CreateJob", kind: "error", after: "yes" as never })).rejects.toThrow(/after must be true or false/);
  });
});
