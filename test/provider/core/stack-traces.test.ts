/**
 * Registering a job takes one stack trace, the SDK's own for the resource's source position, instead of one for each
 * promise the SDK makes (four per registered property; provider/core/stack-traces says what those cost in a
 * program run by the language host). Every job class of both faces, under Pulumi's mock runtime; a plain dynamic
 * resource shows what the SDK does without it. The process's stack-trace limit is left as it was, also when the
 * constructor throws.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ImportExportJob } from "../../../provider";
import { IotJob } from "../../../provider/iot-index";
import { ImportExportJob as NativeImportExportJob, IotJob as NativeIotJob } from "../../../provider/native";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: args.id || "ABCDE", state: args.inputs }),
      call: () => ({}),
    },
    "project",
    "stack",
    true,
  );
});

/** The file names of the frames of every stack trace formatted while `construct` runs, one list per trace. */
function tracesDuring(construct: () => void): string[][] {
  const previous = Error.prepareStackTrace;
  const traces: string[][] = [];
  Error.prepareStackTrace = (error, frames) => {
    traces.push(frames.map((f) => f.getFileName() ?? ""));
    return previous ? previous(error, frames) : [String(error), ...frames.map((f) => `    at ${String(f)}`)].join("\n");
  };
  try {
    construct();
  } finally {
    Error.prepareStackTrace = previous;
  }
  return traces;
}

const manifest = { manifestVersion: "2.0", deviceId: "49382", eraseDevice: true, bucket: "photos", returnAddress: { name: "Jane Roe", city: "Seattle" } };
const jobs: [string, (name: string) => unknown][] = [
  ["ImportExportJob", (name) => new ImportExportJob(name, { jobType: "Import", manifest })],
  ["IotJob", (name) => new IotJob(name, { targets: ["arn:aws:iot:us-east-1:123456789012:thing/t1"], document: "{}" })],
  ["native ImportExportJob", (name) => new NativeImportExportJob(name, { jobType: "Import", manifest })],
  ["native IotJob", (name) => new NativeIotJob(name, { targets: ["arn:aws:iot:us-east-1:123456789012:thing/t1"], document: "{}" })],
];

describe.each(jobs)("%s", (label, construct) => {
  it("takes one stack trace while registering, the source position's, which still reaches the program's line", () => {
    const withFrames = tracesDuring(() => construct(`${label}-traced`)).filter((frames) => frames.length > 0);
    expect(withFrames).toHaveLength(1);
    expect(withFrames[0]).toContain(__filename);
  });

  it("leaves the stack-trace limit as it was, also when the constructor throws", () => {
    const limit = Error.stackTraceLimit;
    construct(`${label}-limit`);
    expect(Error.stackTraceLimit).toBe(limit);
    // An empty name is refused synchronously by the SDK's Resource constructor.
    expect(() => construct("")).toThrow(/Missing resource name/);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});

it("a plain dynamic resource takes a stack trace for each of its promises (what the job classes avoid)", () => {
  const provider = { create: async () => ({ id: "x" }) };
  class Plain extends pulumi.dynamic.Resource {
    constructor(name: string, props: Record<string, unknown>) {
      super(provider, name, props, undefined);
    }
  }
  const props = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((k) => [k, k]));
  const withFrames = tracesDuring(() => new Plain("plain", props)).filter((frames) => frames.length > 0);
  expect(withFrames.length).toBeGreaterThan(6 * 4);
});
