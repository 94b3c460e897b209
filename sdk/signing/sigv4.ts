/**
 * SigV4 (optional; what boto3 and the AWS CLI send today, spec §2.2) through `@smithy/signature-v4`. Signing
 * name `IngestionService`; region `us-east-1` against the real endpoint, the client's region elsewhere.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SigningCredentials } from "./sigv2";

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 from node:crypto in the `Checksum` shape the smithy signer expects. */
export class NodeSha256 {
  private readonly secret: Buffer | undefined;
  private hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

/** A request about to be SigV4-signed. `headers` must already hold `host` and `content-type`. */
export interface SigV4Request {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Signing scope. */
export interface SigV4Scope {
  service: string;
  region: string;
}

/**
 * Returns the headers to send: the input headers plus `x-amz-date`, `x-amz-security-token` (session credentials)
 * and `authorization`. Signs every header given (so pass only `host`, `content-type` and what must be signed),
 * without `x-amz-content-sha256`, matching botocore's SigV4Auth for the Query protocol.
 */
export async function signV4(request: SigV4Request, credentials: SigningCredentials, scope: SigV4Scope, now: Date): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { ...credentials },
    region: scope.region,
    service: scope.service,
    sha256: NodeSha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      ...(request.port === undefined ? {} : { port: request.port }),
      path: request.path,
      query: {},
      headers: { ...request.headers },
      body: request.body,
    },
    { signingDate: now },
  );
  return signed.headers as Record<string, string>;
}
