import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IOT_ERRORS, IOT_OPERATIONS, type IotShape } from "../../sdk/iot/model";
import { MAX_PACKAGE_VERSIONS, TIMEOUT_MINUTES, modelRegex } from "../../sdk/iot/validate";

interface BotoShape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  members?: Record<string, { shape: string; location?: string; locationName?: string; documentation?: string }>;
  required?: string[];
  error?: { httpStatusCode: number };
}
interface BotoModel {
  documentation?: string;
  operations: Record<string, { http: { method: string; requestUri: string }; input?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, BotoShape>;
}

/** The botocore model installed in this machine's python3 (the same one boto3 and the AWS CLI load). */
function botocoreModel(): BotoModel {
  const dir = execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
  const file = join(dir, "data/iot/2015-05-28/service-2.json.gz");
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as BotoModel;
}

/** The emulator's shape language rendering of a botocore shape (what validation needs, nothing else). */
function reduce(model: BotoModel, name: string): IotShape {
  const s = model.shapes[name]!;
  const bounds = { ...(s.min !== undefined ? { min: s.min } : {}), ...(s.max !== undefined ? { max: s.max } : {}) };
  switch (s.type) {
    case "string":
      if (s.enum !== undefined) return { type: "string", enum: s.enum };
      return { type: "string", ...bounds, ...(s.pattern !== undefined ? { pattern: s.pattern } : {}) };
    case "integer":
    case "long":
    case "double":
      return { type: s.type, ...bounds };
    case "boolean":
      return { type: "boolean" };
    case "list":
      return { type: "list", member: reduce(model, s.member!.shape), ...bounds };
    case "map":
      return { type: "map", key: reduce(model, s.key!.shape), value: reduce(model, s.value!.shape) };
    case "structure":
      return {
        type: "structure",
        members: Object.fromEntries(Object.entries(s.members ?? {}).map(([m, ref]) => [m, reduce(model, ref.shape)])),
        ...(s.required !== undefined ? { required: s.required } : {}),
      };
  }
  throw new Error(`unexpected shape type ${s.type} (${name})`);
}

describe("sdk/iot/model.ts agrees with botocore's iot 2015-05-28 model", () => {
  const model = botocoreModel();

  it.each(Object.keys(IOT_OPERATIONS))("%s: method, requestUri, input members, locations, required and constraints", (name) => {
    const ours = IOT_OPERATIONS[name as keyof typeof IOT_OPERATIONS];
    const theirs = model.operations[name]!;
    expect({ method: ours.method, path: ours.path }).toEqual({ method: theirs.http.method, path: theirs.http.requestUri });
    const input = model.shapes[theirs.input!.shape]!;
    const required = new Set(input.required ?? []);
    const expected = Object.fromEntries(
      Object.entries(input.members ?? {}).map(([m, ref]) => {
        expect(ref.locationName ?? m).toBe(m); // the emulator reads query and label names as the member names
        const location = ref.location === "uri" || ref.location === "querystring" ? { location: ref.location } : {};
        return [m, { shape: reduce(model, ref.shape), ...location, ...(required.has(m) ? { required: true } : {}) }];
      }),
    );
    expect(JSON.parse(JSON.stringify(ours.input))).toEqual(expected);
  });

  it("error codes carry the model's HTTP status", () => {
    for (const [code, status] of Object.entries(IOT_ERRORS)) expect({ code, status }).toEqual({ code, status: model.shapes[code]!.error!.httpStatusCode });
    expect(IOT_ERRORS.ThrottlingException).toBe(400);
    expect(IOT_ERRORS.LimitExceededException).toBe(410);
  });

  it("every model pattern compiles as a JavaScript regex (Java POSIX classes translated)", () => {
    const patterns: string[] = [];
    const walk = (s: IotShape): void => {
      if (s.type === "string" && s.pattern !== undefined) patterns.push(s.pattern);
      if (s.type === "list") walk(s.member);
      if (s.type === "map") [s.key, s.value].forEach(walk);
      if (s.type === "structure") Object.values(s.members).forEach(walk);
    };
    for (const op of Object.values(IOT_OPERATIONS)) for (const m of Object.values(op.input)) walk(m.shape);
    expect(patterns.length).toBeGreaterThan(10);
    for (const p of patterns) expect(() => modelRegex(p)).not.toThrow();
    expect(modelRegex("[\\p{Upper}\\p{Digit}_]+").test("BAD_BUILD_2")).toBe(true);
    expect(modelRegex("[\\p{Upper}\\p{Digit}_]+").test("bad")).toBe(false);
    expect(modelRegex("[^\\p{C}]+").test("ok text é")).toBe(true);
    expect(modelRegex("[^\\p{C}]+").test("bell\u0007")).toBe(false);
  });

  it("each documented rule jobRules adds beyond the shapes is stated in the model's own member documentation", () => {
    const doc = (shape: string, member: string): string => model.shapes[shape]?.members?.[member]?.documentation ?? "";
    expect(doc("TimeoutConfig", "inProgressTimeoutInMinutes")).toContain(`${TIMEOUT_MINUTES.min} to ${TIMEOUT_MINUTES.max} minutes`);
    expect(doc("ExponentialRolloutRate", "incrementFactor")).toMatch(/one digit after the decimal/);
    expect(doc("AbortCriteria", "thresholdPercentage")).toMatch(/two digits after the decimal/);
    expect(doc("Job", "destinationPackageVersions")).toContain(`Up to ${MAX_PACKAGE_VERSIONS} package version ARNs`);
    // And the shapes themselves do not carry them (else the rule would be a second copy of a shape constraint).
    expect(model.shapes["InProgressTimeoutInMinutes"]).not.toHaveProperty("max");
    expect(model.shapes["DestinationPackageVersions"]).not.toHaveProperty("max");
    // botocore is the authority where the docs say more: maximumPerMinute has no upper bound in the model.
    expect(model.shapes["MaxJobExecutionsPerMin"]).toMatchObject({ type: "integer", min: 1 });
    expect(model.shapes["MaxJobExecutionsPerMin"]).not.toHaveProperty("max");
  });
});
