import { Agent, request } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { prng } from "../../../emulator/core/faults";
import { IOT_OPERATIONS } from "../../../sdk/iot/model";
import { NodeSha256 } from "../../../sdk/signing/sigv4";
import { startTestEmulator } from "../../helpers/emulator";
import { iotAdmin } from "../../helpers/iot";

const REQUESTS = 3000;
const LABELS = ["fw-1", "t1", "fleet", "", "a b", "%", "%zz", "..", "x".repeat(70), "é", "ab!x", "addThingToThingGroup"];
const KEYS = ["targets", "document", "description", "abortConfig", "criteriaList", "timeoutConfig", "inProgressTimeoutInMinutes", "jobExecutionsRolloutConfig",
  "maximumPerMinute", "exponentialRate", "tags", "Key", "Value", "schedulingConfig", "startTime", "resourceArn", "tagKeys", "__proto__", "constructor", "force", "reasonCode"];
const QUERY = ["force", "maxResults", "nextToken", "status", "targetSelection", "namespaceId", "beforeSubstitution", "resourceArn", "thingGroupName"];

describe("emulator fuzz: hostile IoT rest-json requests always get a well-formed 4xx, never a 5xx or a crash", () => {
  it(`answers ${REQUESTS} random signed and unsigned requests in the rest-json error envelope`, async () => {
    const seed = Number(process.env["FUZZ_SEED"] ?? 20261203);
    const rand = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const emu = await startTestEmulator();
    const url = new URL(emu.endpoint);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const signer = new SignatureV4({ credentials: emu.account, region: "us-east-1", service: "iot", sha256: NodeSha256 as never });
    const thingArn = `arn:aws:iot:us-east-1:${emu.account.accountId}:thing/t1`;

    const scalar = (): unknown =>
      pick<() => unknown>([
        () => Math.floor(rand() * 2000) - 10,
        () => rand() * 10,
        () => pick(["", "x", "IN_PROGRESS", "CANCEL", "FAILED", "{}", '{"a":1}', thingArn, "\u0000", "\ud800", "é", "2030-01-01T00:00"]),
        () => rand() < 0.5,
        () => null,
        () => "y".repeat(Math.floor(rand() * 40_000)),
      ])();
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.5) return scalar();
      if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(KEYS), value(depth + 1)]));
    };
    const body = (): Buffer | undefined => {
      const r = rand();
      if (r < 0.1) return undefined;
      if (r < 0.15) return Buffer.from(pick(["{", "[", "nul", '{"a":}', "\u0000", "{}}", '"str"']));
      if (r < 0.18) return Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
      if (r < 0.2) return Buffer.from(`{"targets":${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
      if (r < 0.21) return Buffer.alloc(1024 * 1024 + 1, 0x20);
      if (r < 0.4) return Buffer.from(JSON.stringify({ targets: [thingArn], document: "{}", ...(value(1) as object) }));
      return Buffer.from(JSON.stringify(value(0)));
    };
    const send = (method: string, path: string, headers: Record<string, string>, payload: Buffer | undefined) =>
      new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(payload);
      });

    // Some state to hit: a thing, a group and a job.
    const setup = async (method: string, path: string, json: unknown): Promise<void> => {
      const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
      const signed = await signer.sign({ method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host }, ...(payload ? { body: payload } : {}) });
      const a = await send(method, path, signed.headers as Record<string, string>, payload);
      expect(a.status).toBe(200);
    };
    await setup("POST", "/things/t1", {});
    await setup("POST", "/thing-groups/fleet", {});
    await setup("PUT", "/jobs/fw-1", { targets: [thingArn], document: "{}" });

    const operations = Object.values(IOT_OPERATIONS);
    const byStatus = new Map<number, number>();
    let prev = "";
    for (let i = 0; i < REQUESTS; i++) {
      const op = pick(operations);
      const method = rand() < 0.9 ? op.method : pick(["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
      const path = op.path.replace(/\{\w+\}/g, () => encodeURIComponent(pick(LABELS)).replace(/%25/g, rand() < 0.3 ? "%" : "%25"));
      const query: Record<string, string> = {};
      for (let k = Math.floor(rand() * 3); k > 0; k--) query[pick(QUERY)] = String(scalar()).slice(0, 200).replace(/[\ud800-\udfff]/g, "?"); // lone surrogates cannot be percent-encoded
      const payload = method === "GET" || method === "HEAD" ? undefined : body();
      const qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : "";
      // Node sends a DELETE body with neither Content-Length nor chunking unless told; that is not HTTP at all.
      let headers: Record<string, string> = { host: url.host, "content-type": "application/json", ...(payload !== undefined ? { "content-length": String(payload.length) } : {}) };
      const auth = rand();
      if (auth < 0.85) {
        const signed = await signer.sign({ method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query, headers, ...(payload ? { body: payload } : {}) });
        headers = signed.headers as Record<string, string>;
        if (rand() < 0.05) headers["x-amz-content-sha256"] = "0".repeat(64);
      } else if (auth < 0.95) {
        headers["authorization"] = pick(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=x/20200101/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=00", "Bearer t"]);
        headers["x-amz-date"] = pick(["20200101T000000Z", "garbage"]);
      }
      delete headers["host"];
      const a = await send(method, `${path}${qs}`, headers, payload);
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      const what = `[prev: ${prev}] request #${i} (seed ${seed}) ${method} ${path}${qs} ${payload?.toString("utf8").slice(0, 120) ?? ""}`;
      expect(a.status, what).toBeLessThan(500);
      prev = `${method} ${path} -> ${a.status}, body ${payload?.length ?? 0} bytes`;
      if (method === "HEAD") continue;
      expect(a.headers["content-type"], `${what} -> ${a.status} ${a.text.slice(0, 600)}`).toBe("application/json");
      if (a.status >= 400) {
        const err = JSON.parse(a.text) as { __type: string; message: string };
        expect(err.__type, what).toBe(a.headers["x-amzn-errortype"]);
        expect(typeof err.message, what).toBe("string");
        expect(a.text, what).not.toContain(emu.account.secretAccessKey);
        expect(a.text, what).not.toMatch(/\n\s+at /); // no stack trace
      } else if (a.text.length > 0) {
        expect(() => JSON.parse(a.text), what).not.toThrow();
      }
    }
    const health = await fetch(`${emu.endpoint}/_emulator/health`);
    expect(health.status).toBe(200);
    // Still serving IoT calls (the fuzz may well have deleted fw-1: only the answer's shape is checked).
    await setup("GET", "/jobs", undefined);
    expect(Array.isArray(await iotAdmin(emu.endpoint).jobs())).toBe(true);
    console.log(`iot fuzz: ${REQUESTS} requests, statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}`);
    agent.destroy();
    await emu.close();
  }, 240_000);
});
