/**
 * Test helper for the emulator's IoT Jobs control plane: an `@aws-sdk/client-iot` client bound to an emulator
 * account, a SigV4-signed raw request for wire-level checks, and the IoT admin routes.
 */
import { request } from "node:http";
import { IoTClient } from "@aws-sdk/client-iot";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../sdk/signing/sigv4";
import type { Account } from "../../emulator";

/** An IoT job as admin `GET /_emulator/iot/jobs` lists it. */
export interface AdminIotJob {
  jobId: string;
  jobArn: string;
  accountId: string;
  region: string;
  status: string;
  targetSelection: string;
  targets: string[];
  executions: { thingName: string; status: string }[];
  jobProcessDetails: Record<string, unknown>;
}

/** An SDK v3 IoT client for one emulator account (no retries, so injected faults surface at once). */
export function iotClient(endpoint: string, account: Account, region = "us-east-1"): IoTClient {
  return new IoTClient({ endpoint, region, maxAttempts: 1, credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey } });
}

/** A raw answer. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one SigV4-signed (scope `iot`) request with an arbitrary body, as a hostile or sloppy client might. */
export async function signedIotRequest(
  endpoint: string,
  account: Pick<Account, "accessKeyId" | "secretAccessKey">,
  method: string,
  path: string,
  body?: string | Buffer,
  options: { query?: Record<string, string>; region?: string; sign?: boolean; /** Send these bytes instead of the signed body (tampering). */ sendBody?: string } = {},
): Promise<RawAnswer> {
  const url = new URL(endpoint);
  const headers: Record<string, string> = { host: url.host, "content-type": "application/json" };
  if (options.sendBody !== undefined) headers["content-length"] = String(Buffer.byteLength(options.sendBody));
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  let signedHeaders = headers;
  if (options.sign !== false) {
    const signer = new SignatureV4({ credentials: account, region: options.region ?? "us-east-1", service: "iot", sha256: NodeSha256 as never });
    const signed = await signer.sign({ method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query: options.query ?? {}, headers, body: payload });
    signedHeaders = signed.headers as Record<string, string>;
  }
  const qs = options.query !== undefined ? `?${new URLSearchParams(options.query).toString().replace(/\+/g, "%20")}` : "";
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: `${path}${qs}`, headers: signedHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.sendBody !== undefined ? Buffer.from(options.sendBody, "utf8") : payload);
  });
}

async function admin<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<{ status: number; value: T }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetch(`${endpoint}/_emulator/${path}`, init);
  return { status: res.status, value: (await res.json()) as T };
}

/** The IoT admin routes of an emulator at `endpoint`. */
export function iotAdmin(endpoint: string) {
  const ok = <T>(r: { status: number; value: T }): T => {
    if (r.status !== 200) throw new Error(`emulator IoT admin: HTTP ${r.status}: ${JSON.stringify(r.value)}`);
    return r.value;
  };
  return {
    /** Every IoT job of every account. */
    jobs: async (): Promise<AdminIotJob[]> => ok(await admin<{ jobs: AdminIotJob[] }>(endpoint, "GET", "iot/jobs")).jobs,
    /** One thing's execution reports `status` (as its device would). */
    execution: async (jobId: string, thingName: string, status: string, extra: Record<string, string> = {}): Promise<AdminIotJob> =>
      ok(await admin<AdminIotJob>(endpoint, "POST", `iot/jobs/${encodeURIComponent(jobId)}/executions/${encodeURIComponent(thingName)}`, { status, ...extra })),
    /** Every non-terminal execution reports `status`. */
    executions: async (jobId: string, status: string, extra: Record<string, string> = {}): Promise<AdminIotJob> =>
      ok(await admin<AdminIotJob>(endpoint, "POST", `iot/jobs/${encodeURIComponent(jobId)}/executions`, { status, ...extra })),
    /** The raw answer of an admin call (for refusal tests). */
    raw: (method: string, path: string, body?: unknown) => admin<{ error?: string }>(endpoint, method, path, body),
  };
}
