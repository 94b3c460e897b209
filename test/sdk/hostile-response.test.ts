/**
 * The client against a server that answers with too much (issue 22 item 4): a huge body, a body that never ends
 * (fast, or trickling so no idle timer fires), a declared length far over the cap. Every case ends in a typed error
 * (`ImportExportResponseTooLargeError`, `ImportExportResponseTimeoutError`), the client stops reading at its
 * `maxResponseBytes` (the server sees its writes stop), the whole-response deadline holds, and a 100 MB answer
 * does not grow a client process's memory by more than a few MiB beyond the cap (measured in a child process).
 * Before: a 100 MB GetStatus body grew the client's RSS by ~306 MiB; an endless fast body was read for the whole
 * 3 s responseTimeout, 2.4 GiB.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AmbiguousCreateJobError, DEFAULT_MAX_RESPONSE_BYTES, ImportExportClient, ImportExportNetworkError,
  ImportExportResponseTimeoutError, ImportExportResponseTooLargeError,
} from "../../sdk";
import { MiB, SOCKET_SLACK, withHostileServer } from "../helpers/hostile-http";
import { ensureCliBuilt, repoRoot } from "../cli/helpers";

const secretAccessKey = "hostile/Response+Secret=0123456789abcdef";
const server = withHostileServer();

function client(path: string, options: { maxResponseBytes?: number; responseTimeout?: number } = {}): ImportExportClient {
  return new ImportExportClient({
    endpoint: `${server().origin}${path}`,
    region: "us-east-1",
    credentials: { accessKeyId: "HOSTILERESPONSE00001", secretAccessKey },
    maxAttempts: 3,
    ...options,
  });
}

/** Runs `call`, returns what it threw, how long it took and what the server wrote for the last request. */
async function failure(c: ImportExportClient, call: (c: ImportExportClient) => Promise<unknown>): Promise<{ err: unknown; ms: number; written: number; requests: number }> {
  const before = server().exchanges.length;
  const started = performance.now();
  let err: unknown;
  try {
    await call(c);
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - started;
  await c.destroy();
  const mine = server().exchanges.slice(before);
  await Promise.all(mine.map((x) => x.closed));
  return { err, ms, written: mine.reduce((n, x) => n + x.bytesWritten, 0), requests: mine.length };
}

describe("the response size cap", () => {
  it("an endless fast body ends in ImportExportResponseTooLargeError once the cap is read, not at the deadline", async () => {
    const r = await failure(client("/fast", { maxResponseBytes: 1 * MiB, responseTimeout: 20_000 }), (c) => c.getStatus({ JobId: "ABCDE" }));
    expect(r.err).toBeInstanceOf(ImportExportResponseTooLargeError);
    expect(r.err).toBeInstanceOf(ImportExportNetworkError); // callers that catch network errors keep working
    const e = r.err as ImportExportResponseTooLargeError;
    expect(e.name).toBe("ImportExportResponseTooLargeError");
    expect(e.code).toBe("RESPONSE_TOO_LARGE");
    expect(e.maxResponseBytes).toBe(1 * MiB);
    expect(e.message).toMatch(/GetStatus failed: .*exceeds the client's maxResponseBytes \(1048576 bytes\)/);
    expect(e.message).not.toContain(secretAccessKey);
    // Not retried (the same server sends the same again), and reading stopped at the cap: the server could write
    // only what the socket buffers hold beyond it. Old code: read until the 20 s deadline, gigabytes.
    expect(r.requests).toBe(1);
    expect(e.$metadata.attempts).toBe(1);
    expect(r.written).toBeLessThan(1 * MiB + SOCKET_SLACK);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("a declared content-length over the cap is refused before the body is read", async () => {
    const r = await failure(client("/declared?mib=100", { maxResponseBytes: 4 * MiB }), (c) => c.listJobs({}));
    expect(r.err).toBeInstanceOf(ImportExportResponseTooLargeError);
    expect(r.written).toBeLessThan(SOCKET_SLACK);
  });

  it("the default cap (8 MiB) stops a 100 MB GetStatus body", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(8 * MiB);
    const r = await failure(client("/huge?mib=100"), (c) => c.getStatus({ JobId: "ABCDE" }));
    expect(r.err).toBeInstanceOf(ImportExportResponseTooLargeError);
    expect((r.err as ImportExportResponseTooLargeError).maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(r.written).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES + SOCKET_SLACK);
  });

  it("a body under the cap is still read whole (the cap counts bytes, not chunks)", async () => {
    // 2 MiB of non-XML under a 3 MiB cap: read to the end, then refused as not a service document.
    const r = await failure(client("/huge?mib=2", { maxResponseBytes: 3 * MiB }), (c) => c.getStatus({ JobId: "ABCDE" }));
    expect((r.err as Error).name).toBe("MalformedResponse");
    expect(r.written).toBe(2 * MiB);
  });

  it("CreateJob: an oversized answer after sending is ambiguous, with the typed error as its cause", async () => {
    const r = await failure(client("/fast", { maxResponseBytes: 1 * MiB }), (c) => c.createJob({ JobType: "Import", Manifest: "manifestVersion: 2.0\n", ValidateOnly: false }));
    expect(r.err).toBeInstanceOf(AmbiguousCreateJobError);
    expect((r.err as AmbiguousCreateJobError).cause).toBeInstanceOf(ImportExportResponseTooLargeError);
    expect(r.requests).toBe(1);
  });

  it("a bad maxResponseBytes or responseTimeout is refused when the client is built, naming the option", () => {
    expect(() => client("/fast", { maxResponseBytes: 0 })).toThrow(/maxResponseBytes must be a positive whole number, found 0/);
    expect(() => client("/fast", { responseTimeout: Number.NaN })).toThrow(/responseTimeout must be a positive whole number/);
  });
});

describe("the whole-response deadline", () => {
  it("a body that trickles forever ends in ImportExportResponseTimeoutError at responseTimeout (headers + body)", async () => {
    // One byte every 50 ms: an idle timer between chunks (undici's bodyTimeout) would never fire.
    const r = await failure(client("/trickle", { responseTimeout: 1_000 }), (c) => c.getStatus({ JobId: "ABCDE" }));
    expect(r.err).toBeInstanceOf(ImportExportResponseTimeoutError);
    const e = r.err as ImportExportResponseTimeoutError;
    expect(e.code).toBe("RESPONSE_TIMEOUT");
    expect(e.responseTimeout).toBe(1_000);
    expect(e.message).toMatch(/no complete response within 1000 ms/);
    // Timeouts are retried (3 attempts here), each cut at its deadline.
    expect(r.requests).toBe(3);
    expect(r.ms).toBeGreaterThanOrEqual(3 * 1_000 - 50);
  });
});

/**
 * Runs one GetStatus against `path` in a fresh Node process using the built SDK, and returns how far its RSS rose
 * above where it stood before the call (sampled every 10 ms and the kernel's peak) and the error's name.
 */
function childRssGrowth(path: string): Promise<{ growthMiB: number; error: string }> {
  const script = `
    const { ImportExportClient } = require(${JSON.stringify(join(repoRoot, "dist", "sdk", "index.js"))});
    (async () => {
      const c = new ImportExportClient({ endpoint: process.argv[1], region: "us-east-1", maxAttempts: 1,
        credentials: { accessKeyId: "HOSTILERESPONSE00001", secretAccessKey: "x" } });
      const start = process.memoryUsage().rss;
      let peak = start;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
      let error = "none";
      try { await c.getStatus({ JobId: "ABCDE" }); } catch (e) { error = e.name; }
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
      await c.destroy();
      console.log(JSON.stringify({ growthMiB: (peak - start) / 1048576, error }));
    })();`;
  return new Promise((done, fail) => {
    execFile(process.execPath, ["-e", script, `${server().origin}${path}`], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`child failed: ${err.message}\n${stderr}`));
      else done(JSON.parse(stdout) as { growthMiB: number; error: string });
    });
  });
}

describe("memory of a client process", () => {
  beforeAll(async () => {
    await ensureCliBuilt(); // the child runs the built SDK (dist/sdk)
  }, 120_000);

  it("a 100 MB GetStatus body grows RSS by far less than the body (old code: ~306 MiB)", async () => {
    const r = await childRssGrowth("/huge?mib=100");
    expect(r.error).toBe("ImportExportResponseTooLargeError");
    // The cap (8 MiB) plus undici's buffers and the garbage of the chunks read; nowhere near 100 MiB.
    expect(r.growthMiB).toBeLessThan(64);
  }, 60_000);
});
