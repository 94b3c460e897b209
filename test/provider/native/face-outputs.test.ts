/**
 * What the native face's classes register per resource (issue 23 item 6: native preview ≤ 0.9× of no-op dynamic
 * resources). Each registered key is an Output the program builds and resolves for every resource in every preview,
 * so ImportExportJob's `jobId` is read from the resource id (as the dynamic face's class does) rather than registered;
 * IotJob's stays registered, because `jobId` is also one of its inputs. Run with `pulumi.runtime.setMocks` in a fresh
 * Node process (setMocks is process-wide) against the built package: needs `npm run build` and the
 * node_modules/pulumi-importexport link (`node scripts/setup.mjs`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const root = join(__dirname, "..", "..", "..");
const dir = join(root, ".tmp", `native-face-outputs-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const registered = {};
pulumi.runtime.setMocks({
  newResource: (args) => {
    registered[args.name] = Object.keys(args.inputs);
    const id = args.type === "importexport:index:IotJob" ? args.inputs.jobId : "ABCDE";
    return { id, state: { ...args.inputs, jobId: id, status: { progressCode: "Pending", endpoint: "http://x" }, signing: { signature: "c2ln" } } };
  },
  call: () => ({}),
});
const { ImportExportJob, IotJob } = require("pulumi-importexport/native");
const value = (o) => new Promise((resolve) => o.apply(resolve));
(async () => {
  const job = new ImportExportJob("photos", { jobType: "Import", manifest: { manifestVersion: "2.0", deviceId: "D", bucket: "b" } });
  const iot = new IotJob("fw", { jobId: "fw-1", targets: ["arn:aws:iot:us-east-1:123456789012:thing/t"], document: "{}" });
  const out = {
    jobIdOwn: Object.prototype.hasOwnProperty.call(job, "jobId"),
    jobId: await value(job.jobId),
    id: await value(job.id),
    progressCode: await value(job.progressCode),
    signature: await value(job.signature),
    jobOutputs: ["status", "signing", "jobType", "manifest"].filter((k) => Object.prototype.hasOwnProperty.call(job, k)),
    iotJobIdOwn: Object.prototype.hasOwnProperty.call(iot, "jobId"),
    iotJobId: await value(iot.jobId),
    registered,
  };
  console.log(JSON.stringify(out));
})();
`;

it("ImportExportJob reads jobId from its id instead of registering it; IotJob, whose jobId is an input, registers it", () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "program.js"), PROGRAM);
  const run = spawnSync(process.execPath, [join(dir, "program.js")], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
  expect(out).toMatchObject({
    jobIdOwn: false,
    jobId: "ABCDE",
    id: "ABCDE",
    progressCode: "Pending",
    signature: "c2ln",
    jobOutputs: ["status", "signing", "jobType", "manifest"],
    iotJobIdOwn: true,
    iotJobId: "fw-1",
  });
  // Mocks run as an update, so ImportExportJob marks its inputs for check (provider/core/update-run); IotJob's check
  // makes no service call and has no such mark.
  expect([...((out["registered"] as Record<string, string[]>)["photos"] ?? [])].sort()).toEqual(["__inUpdate", "jobType", "manifest"]);
}, 120_000);
