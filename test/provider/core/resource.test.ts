/**
 * The resource classes as a program sees them, with Pulumi's mock runtime (no engine): the type token, the declared
 * outputs (and which of them are registered), and that nested Outputs inside a manifest reach the provider resolved.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportExportJob } from "../../../provider";
import { IotJob } from "../../../provider/iot-index";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type.endsWith(":IotJob")) return { id: "fw-1", state: { ...args.inputs, jobId: "fw-1", job: { status: "IN_PROGRESS", jobArn: "arn:aws:iot:us-east-1:1:job/fw-1" } } };
        return { id: "ABCDE", state: { ...args.inputs, jobId: "ABCDE", signing: { signature: "c2lnbmF0dXJl" }, status: { progressCode: "Pending", endpoint: "http://127.0.0.1:1" } } };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
});
afterAll(() => {
  registered.length = 0;
});

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

describe("ImportExportJob (mock runtime)", () => {
  it("registers the dynamic type token with resolved nested inputs and the serialized provider", async () => {
    const bucket = pulumi.output("photos-bucket");
    const job = new ImportExportJob("photos", {
      jobType: "Import",
      manifest: { manifestVersion: "2.0", deviceId: "49382", eraseDevice: true, bucket, returnAddress: { name: pulumi.output("Jane") } },
    });
    expect(await value(job.jobId)).toBe("ABCDE");
    const r = registered.find((x) => x.name === "photos");
    expect(r?.type).toBe("pulumi-nodejs:dynamic/importexport:ImportExportJob");
    expect(r?.inputs["manifest"]).toEqual({ manifestVersion: "2.0", deviceId: "49382", eraseDevice: true, bucket: "photos-bucket", returnAddress: { name: "Jane" } });
    expect(String(r?.inputs["__provider"])).toContain("pulumi-importexport/provider-runtime");
  });

  // Secret outputs are applied by the engine (additionalSecretOutputs), which mocks do not run: engine test (h)
  // checks them in the state file.
  it("exposes every declared output", async () => {
    const job = new ImportExportJob("other", { jobType: "Export", manifest: "manifestVersion: 2.0\n" });
    expect(await value(job.progressCode)).toBe("Pending");
    expect(await value(job.endpoint)).toBe("http://127.0.0.1:1");
    expect(await value(job.status)).toEqual({ progressCode: "Pending", endpoint: "http://127.0.0.1:1" });
    expect(await value(job.manifestYaml)).toBeUndefined();
    for (const k of ["jobId", "signature", "signatureFileContents", "manifestYaml", "shippingLabelUrl", "creationDate", "errorCount", "artifacts"] as const) {
      expect(pulumi.Output.isInstance(job[k]), k).toBe(true);
    }
  });

  // Each registered output costs a preview the same as any other (docs/provider.md, "Benchmark"): the status
  // members are read from the one `status` output, and jobId is the id.
  it("registers only the inputs, signing and status; the flat outputs are memoised getters over them", async () => {
    const job = new ImportExportJob("lean", { jobType: "Import", manifest: "manifestVersion: 2.0\n" });
    expect(await value(job.jobId)).toBe("ABCDE");
    const r = registered.find((x) => x.name === "lean");
    // Mocks run as an update (not a preview), so the class marks its inputs for check (provider/core/update-run).
    expect(Object.keys(r?.inputs ?? {}).sort()).toEqual(["__inUpdate", "__provider", "jobType", "manifest"]);
    expect(r?.inputs["__inUpdate"]).toBe(true);
    const own = Object.keys(job).filter((k) => pulumi.Output.isInstance((job as unknown as Record<string, unknown>)[k]));
    expect(own.sort()).toEqual(["__inUpdate", "__provider", "id", "jobType", "manifest", "signing", "status", "urn"]);
    expect(await value(job.signature)).toBe("c2lnbmF0dXJl");
    expect(await value(job.signatureFileContents)).toBeUndefined();
    expect(job.progressCode).toBe(job.progressCode);
    expect(job.progressCode).not.toBe(new ImportExportJob("lean2", { jobType: "Import", manifest: "x: 1\n" }).progressCode);
  });

  it("IotJob registers jobId and job besides its inputs; status, jobArn, ... are getters over job", async () => {
    const rollout = new IotJob("fw", { targets: ["arn:aws:iot:us-east-1:1:thing/t"], document: "{}" });
    expect(await value(rollout.status)).toBe("IN_PROGRESS");
    expect(await value(rollout.jobArn)).toBe("arn:aws:iot:us-east-1:1:job/fw-1");
    expect(await value(rollout.completedAt)).toBeUndefined();
    const own = Object.keys(rollout).filter((k) => pulumi.Output.isInstance((rollout as unknown as Record<string, unknown>)[k]));
    expect(own.sort()).toEqual(["__autoNameSeed", "__provider", "autoNamePrefix", "document", "id", "job", "jobId", "targets", "urn"]);
  });

  it("an input named like a grouped output reaches check (which rejects it) instead of failing in the constructor", async () => {
    const r = new ImportExportJob("odd", { jobType: "Import", manifest: "x: 1\n", progressCode: "Pending" } as never);
    expect(pulumi.Output.isInstance(r.progressCode)).toBe(true);
    await value(r.id); // registration is asynchronous
    expect(registered.find((x) => x.name === "odd")?.inputs["progressCode"]).toBe("Pending");
  });

  it("does not mutate the caller's args (the same args can build two resources)", () => {
    const args = { jobType: "Import" as const, manifest: "manifestVersion: 2.0\n" };
    new ImportExportJob("a", args);
    expect(() => new ImportExportJob("b", args)).not.toThrow();
    expect(Object.keys(args)).toEqual(["jobType", "manifest"]);
  });
});
