/**
 * The IoT client the provider builds (connectIot) against a server that answers with too much, like the Import/Export
 * client's test (test/sdk/hostile-response.test.ts): an endless body, a declared length far over the cap, a 100 MB
 * answer. Each ends in IotResponseTooLargeError once `maxResponseBytes` is read (8 MiB by default), is not retried
 * (not even a 5xx), and the server sees its writes stop. Before: the AWS SDK read the whole body into memory, and an
 * endless one until the process ran out of it.
 */
import { DescribeJobCommand } from "@aws-sdk/client-iot";
import { describe, expect, it } from "vitest";
import { connectIot } from "../../../provider/iot/client";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../../../sdk/transport";
import { IotResponseTooLargeError } from "../../../sdk/iot/response-cap";
import { MiB, SOCKET_SLACK, withHostileServer } from "../../helpers/hostile-http";

const secretAccessKey = "hostile/IotResponse+Secret=0123456789abcdef";
const server = withHostileServer();

/** DescribeJob through a connectIot client whose endpoint is `path` on the hostile server; what it threw and what the server wrote. */
async function describeJob(path: string, options: { maxResponseBytes?: number } = {}): Promise<{ err: unknown; written: number; requests: number }> {
  const { client } = await connectIot({ endpoint: `${server().origin}${path}`, region: "us-east-1", credentials: { accessKeyId: "HOSTILEIOTRESPONSE01", secretAccessKey } }, options);
  const before = server().exchanges.length;
  let err: unknown;
  try {
    await client.send(new DescribeJobCommand({ jobId: "rollout" }));
  } catch (e) {
    err = e;
  }
  client.destroy();
  const mine = server().exchanges.slice(before);
  await Promise.all(mine.map((x) => x.closed));
  return { err, written: mine.reduce((n, x) => n + x.bytesWritten, 0), requests: mine.length };
}

describe("the IoT client's response size cap", () => {
  it("an endless body ends in IotResponseTooLargeError once the cap is read, after one request", async () => {
    const r = await describeJob("/fast", { maxResponseBytes: 1 * MiB });
    expect(r.err).toBeInstanceOf(IotResponseTooLargeError);
    const e = r.err as IotResponseTooLargeError;
    expect([e.name, e.code, e.maxResponseBytes]).toEqual(["IotResponseTooLargeError", "RESPONSE_TOO_LARGE", 1 * MiB]);
    expect(e.message).toBe("the response body exceeds the client's maxResponseBytes (1048576 bytes); it was not read further");
    expect(e.message).not.toContain(secretAccessKey);
    expect(e.$metadata.attempts).toBe(1);
    expect(r.requests).toBe(1);
    expect(r.written).toBeLessThan(1 * MiB + SOCKET_SLACK);
  });

  it("a 5xx with an endless body is not retried either (the same server sends the same again)", async () => {
    const r = await describeJob("/fast/status=503", { maxResponseBytes: 1 * MiB });
    expect(r.err).toBeInstanceOf(IotResponseTooLargeError);
    expect(r.requests).toBe(1);
  });

  it("a declared content-length over the cap is refused before the body is read", async () => {
    const r = await describeJob("/declared", { maxResponseBytes: 4 * MiB }); // 100 MiB declared
    expect(r.err).toBeInstanceOf(IotResponseTooLargeError);
    expect(r.written).toBeLessThan(SOCKET_SLACK);
  });

  it("the default cap (8 MiB, as the Import/Export client's) stops a 100 MB body", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(8 * MiB);
    const r = await describeJob("/huge");
    expect(r.err).toBeInstanceOf(IotResponseTooLargeError);
    expect((r.err as IotResponseTooLargeError).maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(r.written).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES + SOCKET_SLACK);
  });

  it("a body under the cap is still read whole (the cap counts bytes, not chunks)", async () => {
    // 2 MiB of non-JSON under a 3 MiB cap: read to the end, then refused by the SDK's parser.
    const r = await describeJob("/huge/mib=2", { maxResponseBytes: 3 * MiB });
    expect(r.err).toBeInstanceOf(Error);
    expect(r.err).not.toBeInstanceOf(IotResponseTooLargeError);
    expect(r.written).toBe(2 * MiB);
  });

  it("a bad maxResponseBytes is refused when the client is built, naming the option", async () => {
    await expect(connectIot({ region: "us-east-1" }, { maxResponseBytes: 0 })).rejects.toThrow(/maxResponseBytes must be a positive whole number, found 0/);
  });
});
