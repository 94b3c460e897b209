import { IotAdminError, type IotBackend } from "./backend";
import type { IotJobExecutionStatusCode } from "../../sdk/iot/model";

/** The execution statuses a device can report through the admin API (`POST jobs/{jobId}/executions[/{thingName}]`). */
export const REPORTABLE: readonly IotJobExecutionStatusCode[] = ["IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"];

/** An admin answer: HTTP status and JSON value. */
export interface IotAdminResult {
  status: number;
  value: unknown;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new IotAdminError(400, "The path is not valid percent-encoding.");
  }
}

function parse(body: string): Record<string, unknown> {
  if (body.trim().length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new IotAdminError(400, "The request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new IotAdminError(400, "Body must be a JSON object.");
  return value as Record<string, unknown>;
}

/**
 * Admin routes under `/_emulator/iot/` (the server checks loopback first):
 * - `GET jobs`: every IoT job of every account, with executions and counts.
 * - `POST jobs/{jobId}/executions/{thingName}` `{"status":"SUCCEEDED"}`: one thing reports, as its device would.
 * - `POST jobs/{jobId}/executions` `{"status":"FAILED"}`: every execution that is not yet terminal.
 * Both take optional `accountId`/`region` to pick the job when the same jobId exists in several accounts or regions.
 * Returns undefined for a route it does not serve.
 */
export function handleIotAdmin(iot: IotBackend, method: string, route: string, body: string): IotAdminResult | undefined {
  if (method === "GET" && route === "jobs") return { status: 200, value: { jobs: iot.adminJobs() } };
  const m = /^jobs\/([^/]+)\/executions(?:\/([^/]+))?$/.exec(route);
  if (m === null || method !== "POST") return undefined;
  const input = parse(body);
  const status = input["status"];
  if (typeof status !== "string" || !(REPORTABLE as readonly string[]).includes(status)) {
    throw new IotAdminError(400, `status must be one of ${REPORTABLE.join(", ")}.`);
  }
  const jobId = decode(m[1] ?? "");
  const thingName = m[2] !== undefined ? decode(m[2]) : undefined;
  const candidates = iot
    .findJobs(jobId)
    .filter((j) => (input["accountId"] === undefined || j.scope.accountId === input["accountId"]) && (input["region"] === undefined || j.scope.region === input["region"]));
  const [job, ...others] = candidates;
  if (job === undefined) throw new IotAdminError(404, `No IoT job ${jobId}.`);
  if (others.length > 0) throw new IotAdminError(409, `IoT job ${jobId} exists in several accounts or regions; add "accountId" and "region" to the body.`);
  return { status: 200, value: iot.adminView(iot.advanceExecutions(job, thingName, status as IotJobExecutionStatusCode)) };
}
