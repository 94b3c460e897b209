/**
 * The loopback guard in front of the admin API and the dashboard (issue 15 item 3): the attacks a web page on the
 * same machine can mount — DNS rebinding (a foreign Host reaching 127.0.0.1), cross-site requests carrying a
 * foreign Origin, and "simple" `text/plain`/form POSTs that need no CORS preflight — are refused and change
 * nothing, while the emulator's own clients (JSON content type, loopback Host, same-origin page) keep working.
 * Raw node:http requests, so Host and Origin can be set exactly as a browser or attacker would.
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { withGuardedJob } from "./admin-guard-fixture";

interface Answer {
  status: number;
  body: string;
  type: string;
}

/** One raw request; `host: null` sends no Host header at all. */
function raw(endpoint: string, method: string, path: string, headers: Record<string, string> = {}, body?: string, host?: string | null): Promise<Answer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: host === undefined || host === null ? headers : { ...headers, host }, setHost: host === undefined },
      (res) => {
        const chunks: Buffer[] = [];
        // The SSE route never ends: the first chunk is enough to judge it.
        const done = (): void => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), type: String(res.headers["content-type"] ?? "") });
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
            done();
            req.destroy();
          }
        });
        res.on("end", done);
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };

describe("admin API and dashboard guard", () => {
  const { emu, ep, bound, jobId, nothingChanged } = withGuardedJob();

  it("DNS rebinding: a foreign Host gets 403 on every admin and dashboard route, with no secret in the answer", async () => {
    const secrets = emu().accounts.map((a) => a.secretAccessKey);
    for (const host of [`evil.example:${new URL(ep()).port}`, "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "[::2]", "10.0.0.1"]) {
      for (const path of ["/_emulator/accounts", "/_emulator/jobs", "/_emulator/health", "/_emulator/ui", "/_emulator/ui/state", "/_emulator/ui/events", "/_emulator/ui/dashboard.js"]) {
        const a = await raw(ep(), "GET", path, {}, undefined, host);
        expect({ host, path, status: a.status }).toEqual({ host, path, status: 403 });
        expect(a.body).toMatch(/Host header .* is not a loopback name or address/);
        for (const s of secrets) expect(a.body).not.toContain(s);
      }
    }
  });

  it("HEAD of a dashboard route answers like GET without a body, and is guarded the same way", async () => {
    for (const path of ["/_emulator/ui", "/_emulator/ui/dashboard.js", "/_emulator/ui/state", "/_emulator/ui/events"]) {
      const get = await raw(ep(), "GET", path);
      const head = await raw(ep(), "HEAD", path);
      expect({ path, status: head.status, type: head.type, body: head.body }).toEqual({ path, status: 200, type: get.type, body: "" });
      expect((await raw(ep(), "HEAD", path, {}, undefined, "evil.example")).status).toBe(403);
    }
    expect((await raw(ep(), "HEAD", "/_emulator/ui/nope")).status).toBe(404);
  });

  it("loopback names and addresses, the bound host:port, and no Host at all are accepted", async () => {
    const port = new URL(ep()).port;
    for (const host of [bound(), `localhost:${port}`, "localhost", `127.0.0.1:${port}`, `127.9.8.7:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const a = await raw(ep(), "GET", "/_emulator/accounts", {}, undefined, host);
      expect({ host, status: a.status }).toEqual({ host, status: 200 });
    }
    expect((await raw(ep(), "GET", "/_emulator/health", {}, undefined, null)).status).toBe(200);
  });

  it("a cross-site Origin is refused for reads and changes, and changes nothing", async () => {
    const port = new URL(ep()).port;
    for (const origin of ["http://evil.example", `http://evil.example:${port}`, `http://localhost:${Number(port) === 1 ? 2 : Number(port) - 1}`, "null", "file://", "https://127.0.0.1.evil.example"]) {
      for (const [method, path, body] of [["POST", "/_emulator/reset", "{}"], ["POST", "/_emulator/faults", '{"action":"*","kind":"error"}'], ["POST", `/_emulator/jobs/${jobId()}/advance`, "{}"], ["GET", "/_emulator/accounts", undefined], ["GET", "/_emulator/ui/state", undefined]] as const) {
        const a = await raw(ep(), method, path, { ...JSON_TYPE, origin }, body);
        expect({ origin, path, status: a.status }).toEqual({ origin, path, status: 403 });
        expect(a.body).toContain("cross-site admin calls are refused");
      }
    }
    await nothingChanged();
  });

  it("Sec-Fetch-Site cross-site or same-site (another port of localhost) is refused", async () => {
    for (const site of ["cross-site", "same-site"]) {
      const a = await raw(ep(), "POST", "/_emulator/reset", { ...JSON_TYPE, "sec-fetch-site": site }, "{}");
      expect(a.status).toBe(403);
    }
    await nothingChanged();
  });

  it("text/plain, form and content-type-less POSTs (no preflight needed cross-site) get 415 and change nothing", async () => {
    const posts: [string, string, string][] = [
      ["POST", "/_emulator/reset", "{}"],
      ["POST", "/_emulator/faults", '{"action":"*","kind":"error"}'],
      ["POST", `/_emulator/jobs/${jobId()}/advance`, "{}"],
      ["POST", "/_emulator/clock", '{"advanceMs":2592000000}'],
      ["DELETE", "/_emulator/faults", ""],
    ];
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      for (const [method, path, body] of posts) {
        const a = await raw(ep(), method, path, type === undefined ? {} : { "content-type": type }, body);
        expect({ type, path, status: a.status }).toEqual({ type, path, status: 415 });
        expect(a.body).toContain("need Content-Type: application/json");
      }
    }
    await nothingChanged();
    const clock = (await (await fetch(`${ep()}/_emulator/clock`)).json()) as { now: string };
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(60_000);
  });

  it("the same-origin page and the JSON clients still work (Origin equal to Host, charset parameter)", async () => {
    const origin = `http://${bound()}`;
    const a = await raw(ep(), "POST", `/_emulator/jobs/${jobId()}/advance`, { "content-type": "application/json; charset=utf-8", origin, "sec-fetch-site": "same-origin" }, "{}");
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toMatchObject({ jobId: jobId(), locationCode: "AtAWS" });
    await emu().admin.setFaults({ action: "ListJobs", kind: "throttle", count: 1 });
    await emu().admin.clearFaults();
    await emu().admin.advance(jobId());
    expect((await emu().admin.jobs())[0]?.progressCode).toBe("InProgress");
  });

  it("artifact and label PDFs stay public (any Host), like the pre-signed URLs they stand for", async () => {
    const a = await raw(ep(), "GET", `/_emulator/artifacts/${jobId()}/shipping-instructions.pdf`, {}, undefined, "evil.example");
    expect([a.status, a.type]).toEqual([200, "application/pdf"]);
  });
});
