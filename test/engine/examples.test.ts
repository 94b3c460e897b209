/**
 * Every example program, as a user runs it: the real Pulumi CLI, the program copied as-is from examples/, its own
 * Pulumi.<stack>.yaml, against the emulator. Only the endpoint (a random port here) and the credentials source differ.
 */
import { AddThingToThingGroupCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand } from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS, type Account } from "../../emulator";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { iotClient } from "../helpers/iot";
import { createProgramStack, emulatorConfig, type ProgramStack } from "./harness";

// The multi-env stacks name their own buckets; the emulator gets one account per environment that owns them.
const stagingAccount: Account = {
  accountId: "333333333333",
  accessKeyId: "EMULATORSTAGING00003",
  secretAccessKey: "emulator-staging-secret-key-000000000003",
  buckets: [
    { name: "example-staging-import", region: "us-east-1" },
    { name: "example-staging-logs", region: "us-east-1" },
  ],
};
const prodAccount: Account = {
  accountId: "444444444444",
  accessKeyId: "EMULATORPROD00000004",
  secretAccessKey: "emulator-prod-secret-key-0000000000000004",
  buckets: [
    { name: "example-prod-import", region: "us-east-1" },
    { name: "example-prod-logs", region: "us-east-1" },
  ],
};

let emulator: TestEmulator;
const stacks: ProgramStack[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator({ accounts: [...DEFAULT_ACCOUNTS, stagingAccount, prodAccount] });
});
afterAll(async () => {
  for (const s of stacks) s.cleanup();
  await emulator?.close();
});

/** A dev stack of an example, credentials from the environment as the example's README says. */
async function devStack(example: string, account: Account = emulator.account): Promise<ProgramStack> {
  const ws = await createProgramStack({
    fixture: `examples/${example}`,
    stackName: "dev",
    env: { AWS_ACCESS_KEY_ID: account.accessKeyId, AWS_SECRET_ACCESS_KEY: account.secretAccessKey, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
  });
  stacks.push(ws);
  await ws.stack.setConfig("importexport:endpoint", { value: emulator.endpoint });
  return ws;
}

async function jobsOf(accountId: string) {
  return (await emulator.admin.jobs()).filter((j) => j.accountId === accountId);
}

describe.each([
  { example: "quickstart", resource: "photos", jobType: "Import" },
  { example: "export", resource: "archive-copy", jobType: "Export" },
  { example: "glacier", resource: "cold-archive", jobType: "Import" },
])("examples/$example", ({ example, resource, jobType }) => {
  it("previews a create, creates the job, and destroys it", async () => {
    const ws = await devStack(example);
    if (example === "export") await ws.stack.setConfig("devicePassword", { value: "correct horse battery", secret: true });
    const before = (await jobsOf(emulator.account.accountId)).length;

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ create: 2 });
    expect(ws.opsFor(plan.events, resource)).toEqual(["create"]);

    const up = await ws.up();
    expect(up.changes).toEqual({ create: 2 });
    const jobId = up.outputs["jobId"];
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(up.outputs["progress"]).toBe("Pending");
    const jobs = await jobsOf(emulator.account.accountId);
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.find((j) => j.jobId === jobId)?.jobType).toBe(jobType);

    const again = await ws.preview();
    expect(again.changeSummary).toEqual({ same: 2 });

    const destroyed = await ws.destroy();
    expect(destroyed.changes).toEqual({ delete: 2 });
    expect((await jobsOf(emulator.account.accountId)).find((j) => j.jobId === jobId)?.isCanceled).toBe(true);
  }, 240_000);
});

describe("examples/multi-env", () => {
  it("one program, three stacks, each creating its job in its own account with its own settings", async () => {
    const dev = await devStack("multi-env");
    const devUp = await dev.up();
    expect(devUp.changes).toEqual({ create: 2 });
    expect(devUp.outputs["environment"]).toBe("dev");

    for (const [stackName, account] of [["staging", stagingAccount], ["prod", prodAccount]] as const) {
      // Same program directory, another stack: its Pulumi.<stack>.yaml names a profile; here the credentials come
      // from config instead (secret), and the endpoint is the emulator's.
      const ws = await createProgramStack({
        fixture: "examples/multi-env",
        stackName,
        shareWith: dev,
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        config: {
          ...emulatorConfig("importexport", emulator.endpoint, account),
        },
      });
      const plan = await ws.preview();
      expect(plan.changeSummary).toEqual({ create: 2 });
      const up = await ws.up();
      expect(up.outputs["environment"]).toBe(stackName);
      const [job] = await jobsOf(account.accountId);
      expect(job?.jobId).toBe(up.outputs["jobId"]);
      // The secret key never lands in the stack's state (config secrets are encrypted in Pulumi.<stack>.yaml).
      expect(ws.stateText()).not.toContain(account.secretAccessKey);
      await ws.destroy();
    }
    expect((await jobsOf(emulator.account.accountId)).map((j) => j.jobId)).toContain(devUp.outputs["jobId"]);
    await dev.destroy();
  }, 480_000);
});

describe("examples/iot-rollout", () => {
  it("creates the firmware job for the thing group; rollout edits update in place, a new version replaces; destroy cancels and deletes", async () => {
    const iot = iotClient(emulator.endpoint, emulator.account);
    try {
      // The README's set-up steps, through the SDK instead of the AWS CLI.
      await iot.send(new CreateThingGroupCommand({ thingGroupName: "sensors" }));
      await iot.send(new CreateThingCommand({ thingName: "sensor-1" }));
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "sensors", thingName: "sensor-1" }));
      const ws = await devStack("iot-rollout");
      await ws.stack.setConfig("importexport-iot:endpoint", { value: emulator.endpoint });

      expect((await ws.preview()).changeSummary).toEqual({ create: 2 });
      const up = await ws.up();
      expect(up.changes).toEqual({ create: 2 });
      const jobId = up.outputs["jobId"] as string;
      expect(jobId).toMatch(/^firmware-[a-z0-9]{7}$/);
      expect(up.outputs["status"]).toBe("IN_PROGRESS");
      expect(up.outputs["jobArn"]).toBe(`arn:aws:iot:us-east-1:${emulator.account.accountId}:job/${jobId}`);

      await ws.stack.setConfig("maximumPerMinute", { value: "100" });
      await ws.stack.setConfig("abortPercent", { value: "25" });
      const edit = await ws.preview();
      expect(edit.changeSummary).toEqual({ same: 1, update: 1 });
      const updated = await ws.up();
      expect(updated.outputs["jobId"]).toBe(jobId);
      const live = (await iot.send(new DescribeJobCommand({ jobId }))).job;
      expect(live?.jobExecutionsRolloutConfig?.maximumPerMinute).toBe(100);
      expect(live?.abortConfig?.criteriaList?.[0]?.thresholdPercentage).toBe(25);

      await ws.stack.setConfig("firmwareVersion", { value: "2.5.0" });
      const bump = await ws.preview();
      expect(bump.changeSummary).toEqual({ same: 1, replace: 1 });
      // The version is in the document (replaces) and in a tag (in place): the document decides.
      expect(bump.stdout).toContain(`IoT job ${jobId} will be replaced: document always forces replacement.`);

      const destroyed = await ws.destroy();
      expect(destroyed.changes).toEqual({ delete: 2 });
      await expect(iot.send(new DescribeJobCommand({ jobId })).then((r) => r.job?.status, (e: Error) => e.name)).resolves.toMatch(/^(DELETION_IN_PROGRESS|ResourceNotFoundException)$/);
    } finally {
      iot.destroy();
    }
  }, 240_000);
});
