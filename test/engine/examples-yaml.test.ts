/**
 * The Pulumi YAML examples, as a user runs them: the real Pulumi CLI and YAML language host, the program copied
 * as-is from examples/, its own Pulumi.<stack>.yaml, the native plugin found through the project's `plugins` path
 * (`./node_modules/pulumi-importexport/bin`, linked to this repo as `npm install` would), against the emulator. Only
 * the endpoint (a random port here) and, for staging/prod, the accounts differ.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS, type Account } from "../../emulator";
import { parseManifest } from "../../sdk/manifest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createYamlFixtureStack } from "../helpers/yaml-project";
import type { ProgramStack } from "./harness";

/** The passphrase examples/yaml-environments/Pulumi.<stack>.yaml are encrypted with (its README says so). */
const ENVIRONMENTS_PASSPHRASE = "yaml-environments-example";

/** An emulator account owning `<prefix>-records` or `<prefix>-archive` as its stack file names them. */
function account(accountId: string, name: string, bucket: string): Account {
  const upper = name.toUpperCase().replace(/[^A-Z]/g, "");
  return {
    accountId,
    accessKeyId: `EMULATOR${upper}`.padEnd(20, "0").slice(0, 20),
    secretAccessKey: `emulator-${name}-secret-key`.padEnd(40, "0"),
    buckets: [{ name: bucket, region: "us-east-1" }],
  };
}
const environments = {
  staging: { records: account("333333333333", "staging-records", "example-staging-records"), archive: account("333333333334", "staging-archive", "example-staging-archive") },
  prod: { records: account("444444444444", "prod-records", "example-prod-records"), archive: account("444444444445", "prod-archive", "example-prod-archive") },
};

let emulator: TestEmulator;
const stacks: ProgramStack[] = [];

beforeAll(async () => {
  const extra = Object.values(environments).flatMap((e) => [e.records, e.archive]);
  emulator = await startTestEmulator({ accounts: [...DEFAULT_ACCOUNTS, ...extra] });
});
afterAll(async () => {
  for (const s of stacks) s.cleanup();
  await emulator?.close();
});

const jobsOf = async (accountId: string) => (await emulator.admin.jobs()).filter((j) => j.accountId === accountId);
const photosUrn = (events: EngineEvent[]) => events.map((e) => e.resourcePreEvent?.metadata.urn).find((u) => u?.endsWith("::photos"));
/** The warnings the engine attached to `urn`. */
const warningsOn = (events: EngineEvent[], urn: string) =>
  events.flatMap((e) => (e.diagnosticEvent?.urn === urn && e.diagnosticEvent.severity === "warning" ? [e.diagnosticEvent.message.trim()] : []));

describe("examples/yaml-quickstart", () => {
  it("creates the job; a manifest edit previews as an update of manifest while Pending, as a replace with the reason on the job once started; destroy", async () => {
    const ws = await createYamlFixtureStack({
      fixture: "examples/yaml-quickstart",
      stackName: "dev",
      env: { AWS_ACCESS_KEY_ID: emulator.account.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.account.secretAccessKey },
    });
    stacks.push(ws);
    await ws.stack.setConfig("importexport:endpoint", { value: emulator.endpoint });

    const plan = await ws.preview();
    expect(plan.changeSummary).toEqual({ create: 2 });
    expect(ws.opsFor(plan.events, "photos")).toEqual(["create"]);

    const up = await ws.up();
    expect(up.changes).toEqual({ create: 2 });
    const jobId = up.outputs["jobId"] as string;
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(up.outputs["progress"]).toBe("Pending");
    expect(up.outputs["shipTo"]).toContain(`JOBID ${jobId}`);
    expect((await jobsOf(emulator.account.accountId)).map((j) => j.jobId)).toContain(jobId);

    // The program quotes "2.0" and "49382": they reach the service as text. (`pulumi preview --diff` renders the
    // manifest text as YAML and so prints them as numbers; that is the display only.)
    const job = JSON.parse(ws.stateText()).checkpoint.latest.resources.find((r: { urn: string }) => r.urn.endsWith("::photos"));
    const sent = parseManifest(job.outputs.status.manifestYaml as string);
    expect(sent.manifestVersion).toBe("2.0");
    expect(sent.deviceId).toBe("49382");
    expect(job.inputs.manifest).toMatch(/^manifestVersion: "?2\.0"?$/m);

    // An edit while Pending: `manifest` is an in-place update.
    await ws.stack.setConfig("notificationEmail", { value: "oncall@example.com" });
    const pending: EngineEvent[] = [];
    const edit = await ws.stack.preview({ diff: true, color: "never", onEvent: (e) => pending.push(e) });
    expect(edit.changeSummary).toEqual({ same: 1, update: 1 });
    expect(edit.stdout).toMatch(/~ importexport:index:ImportExportJob: \(update\)[^]*~ manifest: \(yaml\)[^]*~ notificationEmail: "storage-team@example.com" => "oncall@example.com"/);
    const urn = photosUrn(pending)!;
    expect(pending.find((e) => e.resourcePreEvent?.metadata.urn === urn)?.resourcePreEvent?.metadata.detailedDiff).toEqual({ manifest: { diffKind: "update", inputDiff: true } });

    // The transfer starts; the same kind of edit is now a replace of `manifest`, the reason a warning on the job.
    await emulator.admin.advance(jobId, { locationCode: "AtAWS", progressCode: "InProgress" });
    await ws.refresh();
    await ws.stack.setConfig("notificationEmail", { value: "records@example.com" });
    const started: EngineEvent[] = [];
    const replace = await ws.stack.preview({ diff: true, color: "never", onEvent: (e) => started.push(e) });
    expect(replace.changeSummary).toEqual({ same: 1, replace: 1 });
    expect(replace.stdout).toMatch(/\+-importexport:index:ImportExportJob: \(replace\)[^]*~ manifest: \(yaml\)/);
    const replaceMeta = started.find((e) => e.resourcePreEvent?.metadata.urn === urn && e.resourcePreEvent.metadata.op === "replace")?.resourcePreEvent?.metadata;
    expect(replaceMeta?.detailedDiff).toEqual({ manifest: { diffKind: "update-replace", inputDiff: true } });
    expect(warningsOn(started, urn)).toContain(`Job ${jobId} will be replaced: manifest can change in place only while Pending, and it is InProgress.`);

    // destroy: the started job is released from the stack with a warning on it, not cancelled.
    const destroyed = await ws.destroy();
    expect(destroyed.changes).toEqual({ delete: 2 });
    expect(warningsOn(destroyed.events.all, urn).join("\n")).toMatch(new RegExp(`Job ${jobId} \\(ProgressCode InProgress\\) was not cancelled`));
    expect((await jobsOf(emulator.account.accountId)).find((j) => j.jobId === jobId)?.isCanceled).toBe(false);
  }, 300_000);
});

describe("examples/yaml-environments", () => {
  it("previews each of dev, staging and prod from its own Pulumi.<stack>.yaml; dev's up creates one job per account through two explicit providers", async () => {
    const passphrase = { PULUMI_CONFIG_PASSPHRASE: ENVIRONMENTS_PASSPHRASE };
    // dev runs as committed: the emulator's alice (records) and bob (archive), secret keys from the stack file.
    const dev = await createYamlFixtureStack({ fixture: "examples/yaml-environments", stackName: "dev", env: passphrase });
    stacks.push(dev);
    await dev.stack.setConfig("endpoint", { value: emulator.endpoint });
    const devPlan = await dev.preview();
    expect(devPlan.changeSummary).toEqual({ create: 5 }); // the stack, two providers, two jobs

    for (const [stackName, accounts] of Object.entries(environments)) {
      // Same program, another stack: its file names the service's endpoint and placeholder keys; here the emulator
      // and this test's accounts for that environment stand in (the keys as secrets, as the README says to set them).
      const ws = await createYamlFixtureStack({
        fixture: "examples/yaml-environments",
        stackName,
        shareWith: dev,
        env: passphrase,
        config: {
          endpoint: { value: emulator.endpoint },
          recordsAccessKeyId: { value: accounts.records.accessKeyId },
          recordsSecretAccessKey: { value: accounts.records.secretAccessKey, secret: true },
          archiveAccessKeyId: { value: accounts.archive.accessKeyId },
          archiveSecretAccessKey: { value: accounts.archive.secretAccessKey, secret: true },
        },
      });
      const plan = await ws.preview();
      expect(plan.changeSummary, stackName).toEqual({ create: 5 });
      // Its own buckets (from Pulumi.<stack>.yaml) passed validation against its own accounts.
      expect(plan.stdout).not.toMatch(/error/i);
    }

    const up = await dev.up();
    expect(up.changes).toEqual({ create: 5 });
    expect(up.outputs["environment"]).toBe("dev");
    const [alice, bob] = DEFAULT_ACCOUNTS as [Account, Account];
    expect(up.outputs["recordsAccount"]).toBe(alice.accountId);
    expect(up.outputs["archiveAccount"]).toBe(bob.accountId);
    expect((await jobsOf(alice.accountId)).map((j) => j.jobId)).toContain(up.outputs["recordsJobId"]);
    expect((await jobsOf(bob.accountId)).map((j) => j.jobId)).toContain(up.outputs["archiveJobId"]);
    // The providers' secret keys stay secrets: never in the state in plain text.
    const state = dev.stateText();
    expect(state).not.toContain(alice.secretAccessKey);
    expect(state).not.toContain(bob.secretAccessKey);

    const destroyed = await dev.destroy();
    expect(destroyed.changes).toEqual({ delete: 5 });
    for (const [acct, id] of [[alice, up.outputs["recordsJobId"]], [bob, up.outputs["archiveJobId"]]] as const) {
      expect((await jobsOf(acct.accountId)).find((j) => j.jobId === id)?.isCanceled).toBe(true);
    }
  }, 420_000);
});
