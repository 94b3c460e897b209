import { describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { signedIotRequest, type RawAnswer } from "../../helpers/iot";

function errorOf(a: RawAnswer): { status: number; type: unknown; code: unknown; message: string } {
  expect(a.headers["content-type"]).toBe("application/json");
  expect(a.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  const body = JSON.parse(a.body) as { __type: string; message: string };
  expect(body.__type).toBe(a.headers["x-amzn-errortype"]);
  return { status: a.status, type: a.headers["x-amzn-errortype"], code: body.__type, message: body.message };
}

describe("emulator: IoT rest-json wire edge (raw signed requests)", () => {
  const emu = withEmulator();
  const send = (method: string, path: string, body?: string | Buffer, options?: Parameters<typeof signedIotRequest>[5]) => signedIotRequest(emu().endpoint, emu().account, method, path, body, options);
  const thingArn = () => `arn:aws:iot:us-east-1:${emu().account.accountId}:thing/w1`;

  it("answers success in JSON and errors with x-amzn-ErrorType plus a {__type, message} body", async () => {
    await emu().admin.reset();
    const thing = await send("POST", "/things/w1", "{}");
    expect(thing.status).toBe(200);
    expect(JSON.parse(thing.body)).toMatchObject({ thingName: "w1", thingArn: thingArn() });
    const created = await send("PUT", "/jobs/wire-1", JSON.stringify({ targets: [thingArn()], document: "{}" }));
    expect(created.status).toBe(200);
    const updated = await send("PATCH", "/jobs/wire-1", JSON.stringify({ description: "x" }));
    expect({ status: updated.status, body: updated.body }).toEqual({ status: 200, body: "" });
    const missing = errorOf(await send("GET", "/jobs/none"));
    expect(missing).toEqual({ status: 404, type: "ResourceNotFoundException", code: "ResourceNotFoundException", message: "Job none does not exist." });
    const dup = await send("PUT", "/jobs/wire-1", JSON.stringify({ targets: [thingArn()], document: "{}" }));
    expect(errorOf(dup)).toMatchObject({ status: 409, code: "ResourceAlreadyExistsException" });
    expect(JSON.parse(dup.body)).toMatchObject({ resourceId: "wire-1", resourceArn: `arn:aws:iot:us-east-1:${emu().account.accountId}:job/wire-1` });
  });

  it("hostile bodies get InvalidRequestException 400 naming the problem, never a 5xx", async () => {
    const cases: [string | Buffer, string][] = [
      ["{not json", "The request body is not valid JSON."],
      ["[1,2]", "The request body must be a JSON object."],
      ["null", "The request body must be a JSON object."],
      [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "The request body is not valid UTF-8."],
      [JSON.stringify({ targets: "arn" }), "targets must be a list, not a string."],
      [JSON.stringify({ targets: [1], document: "{}" }), "targets[0] must be a string, not a number."],
      [JSON.stringify({ targets: [thingArn()], document: {} }), "document must be a string, not an object."],
      [JSON.stringify({ targets: [thingArn()], document: "{}", timeoutConfig: { inProgressTimeoutInMinutes: "10" } }), "timeoutConfig.inProgressTimeoutInMinutes must be a number, not a string."],
      [JSON.stringify({ targets: [thingArn()], document: "{}", jobExecutionsRolloutConfig: { maximumPerMinute: 1.5 } }), "jobExecutionsRolloutConfig.maximumPerMinute must be a whole number (got 1.5)."],
      [JSON.stringify({ targets: [thingArn()], document: "{}", abortConfig: {} }), "abortConfig.criteriaList is required."],
      [JSON.stringify({ document: "{}" }), "targets is required."],
      [`{"targets":${"[".repeat(200_000)}${"]".repeat(200_000)}}`, "targets[0] must be a string, not an array."],
      [`{"unknownMember":${"[".repeat(200_000)}${"]".repeat(200_000)},"document":"{}"}`, "targets is required."],
    ];
    for (const [body, message] of cases) {
      const a = await send("PUT", "/jobs/hostile", body);
      expect({ body: String(body).slice(0, 60), ...errorOf(a) }).toEqual({ body: String(body).slice(0, 60), status: 400, type: "InvalidRequestException", code: "InvalidRequestException", message });
    }
  });

  it("a map key such as __proto__ stays an ordinary entry", async () => {
    await send("POST", "/things/w1", "{}"); // idempotent
    const body = `{"targets":["${thingArn()}"],"document":"{}","documentParameters":{"__proto__":"kept","url":"u"}}`;
    expect((await send("PUT", "/jobs/proto", body)).status).toBe(200);
    const described = JSON.parse((await send("GET", "/jobs/proto")).body) as { job: { documentParameters: object } };
    expect(Object.entries(described.job.documentParameters)).toEqual([["__proto__", "kept"], ["url", "u"]]);
  });

  it("a body over 1 MiB is refused with a JSON 413 and the connection closed", async () => {
    const a = await send("PUT", "/jobs/huge", JSON.stringify({ document: "x".repeat(1024 * 1024 + 10) }));
    expect(errorOf(a)).toMatchObject({ status: 413, code: "InvalidRequestException" });
  });

  it("query members are typed: bad booleans and numbers are 400 naming the member", async () => {
    expect(errorOf(await send("PUT", "/jobs/x/cancel", "{}", { query: { force: "maybe" } }))).toMatchObject({ status: 400, message: 'force must be true or false (got "maybe").' });
    expect(errorOf(await send("GET", "/jobs", undefined, { query: { maxResults: "lots" } }))).toMatchObject({ status: 400, message: 'maxResults must be a whole number (got "lots").' });
    expect(errorOf(await send("GET", "/jobs", undefined, { query: { status: "DONE" } }))).toMatchObject({ status: 400, code: "InvalidRequestException" });
    expect(errorOf(await send("GET", "/jobs/%E0%A4%A"))).toMatchObject({ status: 400, message: "the URI label jobId is not valid percent-encoding." });
  });

  it("authentication: unsigned, wrong secret, tampered body and unknown keys are 403 in rest-json names", async () => {
    expect(errorOf(await send("GET", "/jobs", undefined, { sign: false }))).toMatchObject({ status: 403, code: "MissingAuthenticationTokenException" });
    const wrong = await signedIotRequest(emu().endpoint, { accessKeyId: emu().account.accessKeyId, secretAccessKey: "not-the-secret" }, "GET", "/jobs");
    expect(errorOf(wrong)).toMatchObject({ status: 403, code: "InvalidSignatureException" });
    expect(wrong.body).not.toContain(emu().account.secretAccessKey);
    const tampered = await send("PATCH", "/jobs/wire-1", JSON.stringify({ description: "a" }), { sendBody: JSON.stringify({ description: "b" }) });
    expect(errorOf(tampered)).toMatchObject({ status: 403, code: "InvalidSignatureException" });
    expect(errorOf(await send("GET", "/jobs", undefined, { region: "moon:base" }))).toMatchObject({ status: 403, code: "IncompleteSignatureException" });
    const unknown = await signedIotRequest(emu().endpoint, { accessKeyId: "NOSUCHKEY00000000000", secretAccessKey: "s" }, "GET", "/jobs");
    expect(errorOf(unknown)).toMatchObject({ status: 403, code: "UnrecognizedClientException" });
  });

  it("an unknown IoT route is 404 UnknownOperationException; Import/Export Query calls at / are unaffected", async () => {
    expect(errorOf(await send("POST", "/jobs/x/frobnicate", "{}"))).toMatchObject({ status: 404, code: "UnknownOperationException" });
    expect(errorOf(await send("GET", "/", undefined))).toMatchObject({ status: 404, code: "UnknownOperationException" });
    const query = await fetch(`${emu().endpoint}/?Action=ListJobs&Version=2010-06-01`);
    expect(query.headers.get("content-type")).toBe("text/xml");
    expect(await query.text()).toContain("MissingAuthenticationToken");
  });
});
