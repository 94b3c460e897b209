/**
 * The native face's classes (provider/native/index: `Provider`, `ImportExportJob`, `IotJob`, which share one base)
 * under `pulumi.runtime.setMocks`, in a fresh Node process (setMocks is process-wide) on the built package: each
 * class registers its definition's token with its outputs seeded, `get(name, id)` reads the job with every input
 * asked for and returns an instance of the class it was called on, and the flat getters read the groups. Needs `npm run build` and the node_modules/pulumi-importexport link.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const root = join(__dirname, "..", "..", "..");
const dir = join(root, ".tmp", `native-classes-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = String.raw`
const pulumi = require("@pulumi/pulumi");
const seen = [];
pulumi.runtime.setMocks({
  newResource(args) {
    seen.push({ type: args.type, name: args.name, id: args.id, keys: Object.keys(args.inputs).sort() });
    const outputs = { ...args.inputs, jobId: args.id || "JOB01", status: { progressCode: "Pending", endpoint: "http://e" }, job: { jobArn: "arn:aws:iot:us-east-1:1:job/j", status: "IN_PROGRESS" } };
    return { id: args.id || "JOB01", state: outputs };
  },
  call: () => ({}),
}, "proj", "stack", true);
const { ImportExportJob, IotJob, Provider } = require("pulumi-importexport/native");
const value = (o) => new Promise((resolve) => o.apply(resolve));
(async () => {
  const p = new Provider("p", { endpoint: "http://e", accessKeyId: "AK", secretAccessKey: "SK" });
  const made = new ImportExportJob("made", { jobType: "Import", manifest: "m" }, { provider: p });
  const read = ImportExportJob.get("read", "ABCDE");
  const iot = IotJob.get("iot", "rollout-1");
  const out = {
    madeIsClass: made instanceof ImportExportJob,
    readIsClass: read instanceof ImportExportJob && !(read instanceof IotJob),
    iotIsClass: iot instanceof IotJob,
    readProgress: await value(read.progressCode),
    iotArn: await value(iot.jobArn),
    madeJobId: await value(made.jobId),
  };
  await new Promise((r) => setTimeout(r, 200));
  console.log(JSON.stringify({ out, seen }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

it("registers each class under its token, `get` returns the class it is called on, getters read the groups", () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "classes.js"), SCRIPT);
  const run = spawnSync(process.execPath, [join(dir, "classes.js")], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  const { out, seen } = JSON.parse(run.stdout.trim()) as { out: Record<string, unknown>; seen: Array<{ type: string; name: string; id?: string; keys: string[] }> };
  expect(out).toMatchObject({ madeIsClass: true, readIsClass: true, iotIsClass: true, readProgress: "Pending", iotArn: "arn:aws:iot:us-east-1:1:job/j", madeJobId: "JOB01" });
  const byName = Object.fromEntries(seen.map((s) => [s.name, s]));
  expect(byName["p"]?.type).toBe("pulumi:providers:importexport");
  expect(byName["made"]).toMatchObject({ type: "importexport:index:ImportExportJob" });
  expect(byName["made"]?.keys).toEqual(expect.arrayContaining(["jobType", "manifest"]));
  expect(byName["read"]).toMatchObject({ type: "importexport:index:ImportExportJob", id: "ABCDE" });
  expect(byName["iot"]).toMatchObject({ type: "importexport:index:IotJob", id: "rollout-1" });
  expect(run.status).toBe(0);
}, 120_000);
