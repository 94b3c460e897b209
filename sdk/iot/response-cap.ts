/**
 * The response size cap of an `@aws-sdk/client-iot` client, the IoT side's counterpart of the Import/Export
 * client's `maxResponseBytes` (../transport): the AWS SDK reads a whole response body into memory before parsing it,
 * so a hostile or broken endpoint could grow the provider process without bound. A middleware next to the transport
 * refuses a declared length over the cap before reading the body, and stops reading a body that grows past it; the
 * connection is closed either way and the call fails with {@link IotResponseTooLargeError}, which is not retried.
 */
import { Transform, type Readable, type TransformCallback } from "node:stream";
import type { MiddlewareStack } from "@smithy/types";
import { DEFAULT_MAX_RESPONSE_BYTES, checkLimit } from "../transport";

/**
 * The response body grew past the client's `maxResponseBytes` (a hostile or broken endpoint: no IoT answer comes
 * close; the largest, a job document, is at most 32 KB). The client stopped reading there and closed the connection;
 * the call is not retried (the same endpoint would send the same again). `code` is `RESPONSE_TOO_LARGE`, as for
 * the Import/Export client's ImportExportResponseTooLargeError.
 */
export class IotResponseTooLargeError extends Error {
  override readonly name = "IotResponseTooLargeError";
  readonly code = "RESPONSE_TOO_LARGE";
  /** The cap that was exceeded, in bytes. */
  readonly maxResponseBytes: number;
  /**
   * The SDK's call metadata (it adds `attempts`). No `httpStatusCode`: the answer was not read, and a 5xx status
   * here would make the SDK's retry strategy send the call again.
   */
  readonly $metadata: { attempts?: number; totalRetryDelay?: number } = {};

  constructor(maxResponseBytes: number) {
    super(`the response body exceeds the client's maxResponseBytes (${maxResponseBytes} bytes); it was not read further`);
    this.maxResponseBytes = maxResponseBytes;
  }
}

/** What the middleware reads of the transport's raw response (a Node stream for the body, as NodeHttpHandler gives). */
interface RawResponse {
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

const isReadable = (body: unknown): body is Readable => typeof (body as Readable | undefined)?.pipe === "function" && typeof (body as Readable).destroy === "function";

/** Passes a body through while it stays within `max` bytes; past it, closes the source and fails the read. */
function capped(source: Readable, max: number): Transform {
  let received = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      received += chunk.length;
      if (received > max) {
        source.unpipe(out);
        source.destroy(); // closes the socket: the endpoint's writes stop here
        done(new IotResponseTooLargeError(max));
        return;
      }
      done(null, chunk);
    },
  });
  source.once("error", (e) => out.destroy(e));
  return source.pipe(out);
}

/**
 * Adds the response size cap to an SDK v3 client (used for the IoT client; see the module comment). Call once per
 * client, before its first command. `maxResponseBytes` defaults to {@link DEFAULT_MAX_RESPONSE_BYTES} (8 MiB) and
 * must be a positive whole number (a TypeError names the option).
 */
export function capResponseBytes<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): void {
  const max = checkLimit("maxResponseBytes", maxResponseBytes);
  // Step "deserialize" at low priority runs inside the SDK's deserializer: it sees the transport's answer first.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      const declared = Number(response.headers?.["content-length"]);
      if (Number.isFinite(declared) && declared > max) {
        if (isReadable(response.body)) response.body.destroy();
        throw new IotResponseTooLargeError(max);
      }
      if (isReadable(response.body)) response.body = capped(response.body, max);
      return result;
    },
    { step: "deserialize", priority: "low", name: "importexportResponseCap" },
  );
}
