/**
 * The per-call `abortSignal` option (issue 23, timeouts and Cancel): an aborted call rejects with an error named
 * "AbortError", the request in flight is really cut (the server sees its connection close, not an answer nobody
 * reads), and no retry follows, also when the abort comes during a backoff wait. For both clients the provider uses:
 * this package's ImportExportClient and @aws-sdk/client-iot (the IoT side).
 *
 * The servers are real: a node:http server that either never answers or answers 503 (counting requests and the close
 * of each connection), and the emulator with a latency rule on CreateJob.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateJobCommand, DescribeJobCommand, IoTClient } from "@aws-sdk/client-iot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AmbiguousCreateJobError, ImportExportAbortError, ImportExportClient } from "../../sdk";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { importManifest } from "../helpers/manifests";

const KEYS = { accessKeyId: "AKIDABORTTEST0000000", secretAccessKey: "abort-test-secret-key-0000000000000000000" };

/** One request the server received: when its connection closed (undefined while open). */
interface Seen {
  closedAt?: number;
  closed: Promise<void>;
}

/** A server whose behaviour the test sets: `hang` never answers, `unavailable` answers a retryable 503 at once. */
interface TestServer {
  origin: string;
  mode: "hang" | "unavailable-iet" | "unavailable-iot";
  seen: Seen[];
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const t: TestServer = { origin: "", mode: "hang", seen: [], close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let done!: () => void;
    const seen: Seen = { closed: new Promise((r) => (done = r)) };
    t.seen.push(seen);
    res.on("close", () => {
      seen.closedAt = Date.now();
      done();
    });
    req.resume();
    req.on("end", () => {
      if (t.mode === "unavailable-iet") {
        // A hint far longer than the test: a client that honours it waits 5 s before its retry.
        res.writeHead(503, { "content-type": "text/xml", "x-amz-retry-after": "5000" });
        res.end(`<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>busy</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
      } else if (t.mode === "unavailable-iot") {
        res.writeHead(503, { "content-type": "application/json", "x-amzn-errortype": "ServiceUnavailableException" });
        res.end(JSON.stringify({ message: "busy" }));
      }
      // "hang": no answer; the connection stays open until the client closes it.
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return t;
}

/** The rejection of `p` (fails the test when it resolves). */
async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to reject");
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("ImportExportClient abortSignal", () => {
  let server: TestServer;
  const clients: ImportExportClient[] = [];
  const newClient = (extra: ConstructorParameters<typeof ImportExportClient>[0] = {}) => {
    const c = new ImportExportClient({ endpoint: server.origin, credentials: KEYS, ...extra });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    server.seen.length = 0;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("an abort cuts the request in flight: AbortError at once, the server sees the connection close, no retry", async () => {
    server.mode = "hang";
    const client = newClient({ responseTimeout: 20_000 });
    const started = Date.now();
    const e = await rejectionOf(client.getStatus({ JobId: "ABCDE" }, { abortSignal: AbortSignal.timeout(300) }));
    expect(e).toBeInstanceOf(ImportExportAbortError);
    expect(e.name).toBe("AbortError");
    const abort = e as ImportExportAbortError;
    expect(abort.operation).toBe("GetStatus");
    expect(abort.requestSent).toBe(true);
    expect((abort.cause as Error).name).toBe("TimeoutError");
    expect(abort.$metadata.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000); // far below the 20 s response timeout
    expect(server.seen).toHaveLength(1);
    await server.seen[0]?.closed; // the socket was destroyed: the server's side of it closes
    expect(server.seen[0]?.closedAt).toBeGreaterThanOrEqual(started);
    await settle(500);
    expect(server.seen).toHaveLength(1); // GetStatus is idempotent and retried on timeouts, but not after an abort
  });

  it("an aborted signal sends nothing", async () => {
    server.mode = "hang";
    const client = newClient();
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the engine"));
    const e = await rejectionOf(client.listJobs({}, { abortSignal: controller.signal }));
    expect(e).toBeInstanceOf(ImportExportAbortError);
    expect((e as ImportExportAbortError).requestSent).toBe(false);
    expect(e.message).toContain("cancelled by the engine");
    await settle(200);
    expect(server.seen).toHaveLength(0);
  });

  it("an abort during the backoff wait ends it at once and no retry is sent after it", async () => {
    server.mode = "unavailable-iet";
    // The injected wait lasts 400 ms; the abort comes 100 ms into it.
    const client = newClient({ retryStrategy: { random: () => 0.5, sleep: () => settle(400) } });
    const controller = new AbortController();
    const started = Date.now();
    const call = client.getStatus({ JobId: "ABCDE" }, { abortSignal: controller.signal });
    while (server.seen.length === 0) await settle(10);
    await settle(100);
    controller.abort();
    const e = await rejectionOf(call);
    expect(e.name).toBe("AbortError");
    expect((e as ImportExportAbortError).requestSent).toBe(true);
    expect(Date.now() - started).toBeLessThan(400);
    await settle(700); // past the end of the wait: the retry it would have led to is never sent
    expect(server.seen).toHaveLength(1);
  });

  it("the default backoff timer is cleared by an abort (a 5 s retry-after hint does not hold the call)", async () => {
    server.mode = "unavailable-iet";
    const client = newClient();
    const started = Date.now();
    const e = await rejectionOf(client.cancelJob({ JobId: "ABCDE" }, { abortSignal: AbortSignal.timeout(50) }));
    expect(e.name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((e as ImportExportAbortError).$metadata.attempts).toBe(1);
    await settle(500);
    expect(server.seen).toHaveLength(1);
  });
});

describe("CreateJob aborted against the emulator", () => {
  let emu: TestEmulator;
  let client: ImportExportClient;
  beforeAll(async () => {
    emu = await startTestEmulator();
    client = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
  });
  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it("is an AbortError saying the request was sent (not an AmbiguousCreateJobError), and is never sent again", async () => {
    await emu.admin.setFaults([{ action: "CreateJob", kind: "latency", latencyMs: 1_500 }]);
    const e = await rejectionOf(
      client.createJob({ JobType: "Import", Manifest: importManifest(emu.account.buckets[0]!.name, `accessKeyId: ${emu.account.accessKeyId}`), ValidateOnly: false }, { abortSignal: AbortSignal.timeout(300) }),
    );
    expect(e).toBeInstanceOf(ImportExportAbortError);
    expect(e).not.toBeInstanceOf(AmbiguousCreateJobError);
    expect((e as ImportExportAbortError).requestSent).toBe(true);
    expect(e.message).toMatch(/^CreateJob was aborted .*the service may have processed it/);
    await emu.admin.clearFaults();
    await settle(1_800); // the latency is over: the emulator ran the one request it got
    expect((await emu.admin.stats()).byAction["CreateJob"]).toBe(1);
  });
});

describe("IoT client (@aws-sdk/client-iot) abortSignal", () => {
  let server: TestServer;
  let iot: IoTClient;
  beforeAll(async () => {
    server = await startServer();
    iot = new IoTClient({ endpoint: server.origin, region: "us-east-1", credentials: KEYS, maxAttempts: 5 });
  });
  afterEach(() => {
    server.seen.length = 0;
  });
  afterAll(async () => {
    iot?.destroy();
    await server?.close();
  });

  it("an abort cuts the request in flight: AbortError, the connection closes, no retry", async () => {
    server.mode = "hang";
    const started = Date.now();
    const e = await rejectionOf(iot.send(new DescribeJobCommand({ jobId: "j1" }), { abortSignal: AbortSignal.timeout(300) }));
    expect(e.name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.seen).toHaveLength(1);
    await server.seen[0]?.closed;
    await settle(500);
    expect(server.seen).toHaveLength(1);
  });

  it("an abort during the backoff wait ends the call, and no retry follows", async () => {
    server.mode = "unavailable-iot";
    const controller = new AbortController();
    const call = iot.send(new CreateJobCommand({ jobId: "j2", targets: ["arn:aws:iot:us-east-1:123456789012:thing/t"], document: "{}" }), { abortSignal: controller.signal });
    while (server.seen.length === 0) await settle(5);
    controller.abort();
    const e = await rejectionOf(call);
    expect(e.name).toBe("AbortError");
    const sent = server.seen.length;
    await settle(1_500); // longer than the SDK's first backoffs (≤ 1 s for a transient 503)
    expect(server.seen.length).toBe(sent);
    expect(sent).toBeLessThanOrEqual(2);
  });
});
