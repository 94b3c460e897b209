/**
 * Each field declared once (provider/core/definition; issue 20, item 2): the generic readers of a definition, and, for
 * both resources, that every list the provider, the emulator and the SDK keep of a resource's fields is the
 * definition's — a field added in one place and missing in another fails here (or, for the hand-written Args and
 * output interfaces, fails to compile: ArgsMatch / MembersMatch in the resource and outputs modules).
 */
import { describe, expect, it } from "vitest";
import { IOT_JOB_STATUSES, UPDATE_JOB_MEMBERS } from "../../../sdk/iot/model";
import { progressCodes, updatableProgressCodes } from "../../../sdk/model";
import {
  fieldRules,
  input,
  normalizeInputs,
  output,
  registeredOutputs,
  requestMembers,
  schemaOf,
  secretOutputs,
  type ResourceDefinition,
} from "../../../provider/core/definition";
import { UNKNOWN, fieldsSentBy } from "../../../provider/core/policy";
import { jobMembers } from "../../../provider/importexport/adapter";
import { checkInputs, importExportJobDefinition as ie, importExportJobPolicy } from "../../../provider/importexport/definition";
import { JOB_SIGNING_MEMBERS, JOB_STATUS_MEMBERS, jobState } from "../../../provider/importexport/outputs";
import { iotJobDefinition as iot, iotJobPolicy } from "../../../provider/iot/definition";
import { IOT_JOB_MEMBERS } from "../../../provider/iot/outputs";

const replace = { kind: "replace-always" } as const;
const sample = {
  token: "test:index:Thing",
  description: "A thing.",
  inputs: {
    name: input<string>()({ type: { type: "string" }, description: "Its name.", required: true, rule: replace, member: "Name", normalize: (v) => (typeof v === "string" ? { value: v.trim() } : { value: v, failures: [{ property: "name", reason: "must be text" }] }) }),
    size: input<number>()({ type: { type: "integer" }, description: "Its size.", rule: { kind: "state-only" } }),
    marker: input<boolean>()({ type: { type: "boolean" }, description: "Set by the provider.", rule: { kind: "state-only" }, internal: true }),
  },
  outputs: {
    id: output<string>()({ type: { type: "string" }, description: "The id.", id: true, required: true }),
    secretly: output<string>()({ type: { type: "string" }, description: "A secret.", secret: true, group: "keys" }),
    plain: output<string>()({ type: { type: "string" }, description: "Not a secret.", group: "info" }),
  },
  groups: { keys: { description: "Secrets." }, info: { description: "The rest." } },
} as const satisfies ResourceDefinition;

describe("the generic readers of a definition", () => {
  it("normalizeInputs: validators in order, unknowns kept, a missing required input validated, an unlisted key reported, internal inputs left alone", () => {
    expect(normalizeInputs(sample.inputs, { name: "  a ", size: 3, marker: true })).toEqual({ inputs: { name: "a", size: 3 }, failures: [], hasUnknowns: false });
    expect(normalizeInputs(sample.inputs, { name: UNKNOWN })).toEqual({ inputs: { name: UNKNOWN }, failures: [], hasUnknowns: true });
    expect(normalizeInputs(sample.inputs, {}).failures).toEqual([{ property: "name", reason: "must be text" }]);
    expect(normalizeInputs(sample.inputs, { name: "a", colour: "red", __provider: "x" }).failures).toEqual([{ property: "colour", reason: 'unknown input "colour"' }]);
  });

  it("requestMembers: the named fields that are set, under the service's member names", () => {
    expect(requestMembers(sample.inputs, ["name", "size"], { name: "a", size: undefined })).toEqual({ Name: "a" });
  });

  it("fieldRules, registeredOutputs, secretOutputs", () => {
    expect(fieldRules(sample.inputs)).toEqual({ name: replace, size: { kind: "state-only" }, marker: { kind: "state-only" } });
    expect(registeredOutputs(sample)).toEqual(["keys", "info"]);
    expect(secretOutputs(sample)).toEqual(["keys"]);
  });

  it("schemaOf: program inputs (no internal one), every output, descriptions, secrets, required", () => {
    expect(schemaOf(sample)).toEqual({
      description: "A thing.",
      inputProperties: { name: { type: "string", description: "Its name." }, size: { type: "integer", description: "Its size." } },
      requiredInputs: ["name"],
      properties: {
        name: { type: "string", description: "Its name." },
        size: { type: "integer", description: "Its size." },
        id: { type: "string", description: "The id." },
        secretly: { type: "string", description: "A secret.", secret: true },
        plain: { type: "string", description: "Not a secret." },
      },
      required: ["name", "id"],
    });
  });
});

describe.each([
  ["ImportExportJob", ie as ResourceDefinition],
  ["IotJob", iot as ResourceDefinition],
])("%s's schema, read from its definition", (_name, definition) => {
  const schema = schemaOf(definition);

  it("is plain data (survives JSON) and describes every property", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    for (const [name, p] of Object.entries(schema.properties)) {
      expect(p.description.length, name).toBeGreaterThan(10);
      expect("type" in p || "oneOf" in p || "$ref" in p, name).toBe(true);
    }
  });

  it("holds every program input and every output", () => {
    const program = Object.entries(definition.inputs).filter(([, d]) => !d.internal).map(([n]) => n);
    expect(Object.keys(schema.inputProperties)).toEqual(program);
    expect(Object.keys(schema.properties)).toEqual([...program, ...Object.keys(definition.outputs)]);
  });
});

describe("ImportExportJob: every list of its fields is its definition's", () => {
  const everyInput = { jobType: "Import", manifest: "manifestVersion: 2.0\ndeviceId: A\n", shippingLabel: { name: "Jane" }, adoptJobId: "ABCDE", cancelInProgress: true };

  it("the policy table's fields, and check's inputs", () => {
    expect(importExportJobPolicy.fields).toEqual(fieldRules(ie.inputs));
    expect(Object.keys(everyInput)).toEqual(Object.keys(ie.inputs));
    expect(Object.keys(checkInputs(everyInput).inputs)).toEqual(Object.keys(ie.inputs));
  });

  it("UpdateJob and CreateJob take the inputs the table sends by UpdateJob, under their service names", () => {
    expect(fieldsSentBy(importExportJobPolicy, "UpdateJob")).toEqual(["jobType", "manifest"]);
    expect(jobMembers({ jobType: "Export", manifest: "m", cancelInProgress: true })).toEqual({ JobType: "Export", Manifest: "m" });
  });

  it("UpdateJob is allowed while the ProgressCodes the API allows it (sdk/model), the fact the emulator reads too", () => {
    expect(ie.inputs.manifest.rule).toMatchObject({ states: updatableProgressCodes });
    expect(importExportJobPolicy.states).toEqual(progressCodes);
  });

  it("the state holds every input and every output, each output in its group", () => {
    const state = jobState(
      checkInputs(everyInput).inputs as never,
      {
        JobId: "ABCDE", JobType: "Import", LocationCode: "AtAWS", LocationMessage: "l", ProgressCode: "Pending", ProgressMessage: "p", Carrier: "c",
        TrackingNumber: "t", LogBucket: "b", LogKey: "k", ErrorCount: 0, Signature: "s", SignatureFileContents: "f", CurrentManifest: "m",
        CreationDate: new Date(0), ArtifactList: [{ Description: "d", URL: "u" }], AwsShippingAddress: "a",
      },
      { jobId: "ABCDE", endpoint: "http://e", accountId: "1", manifestYaml: "m", warningMessage: "w", shippingLabelUrl: "u" },
    ) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(state).filter((k) => k in ie.inputs)).toEqual(Object.keys(ie.inputs));
    for (const [name, d] of Object.entries(ie.outputs)) {
      const holder = "group" in d ? state[d.group] : state;
      expect(holder?.[name], name).toBeDefined();
    }
    expect([...JOB_STATUS_MEMBERS, ...JOB_SIGNING_MEMBERS].sort()).toEqual(Object.keys(ie.outputs).filter((k) => k !== "jobId").sort());
    expect(registeredOutputs(ie)).toEqual(["signing", "status"]);
    expect(secretOutputs(ie)).toEqual(["signing"]);
  });
});

describe("IotJob: every list of its fields is its definition's", () => {
  it("the policy table's fields and states", () => {
    expect(iotJobPolicy.fields).toEqual(fieldRules(iot.inputs));
    expect(iotJobPolicy.states).toEqual(IOT_JOB_STATUSES);
  });

  it("the inputs UpdateJob changes are the model's UpdateJob members (which the emulator reads too)", () => {
    expect(fieldsSentBy(iotJobPolicy, "UpdateJob").sort()).toEqual([...UPDATE_JOB_MEMBERS].sort());
  });

  it("the `job` output members are the definition's outputs (each an output of its own, but accessKeyId)", () => {
    expect(IOT_JOB_MEMBERS).toEqual(Object.keys(iot.outputs).filter((k) => k !== "accessKeyId"));
    expect(registeredOutputs(iot)).toEqual(["job"]);
  });
});
