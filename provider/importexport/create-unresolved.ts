/**
 * A create whose CreateJob outcome is unknown because the operation was stopped (a `customTimeouts` deadline or the
 * engine's Cancel, native plugin only) after CreateJob had been sent: the service may have made the job, or may still
 * make it, and nobody will read its JobId. Stopping must not leave such a job untracked, so the create fails with
 * an init failure whose id is not a JobId but this record: the engine keeps it in the stack (ErrorResourceInitFailed),
 * with the create marker the request carried (./create-marker) and when it was sent.
 *
 * What the record then does (./create, ./runtime):
 * - `diff` answers "replace": the next `up` creates the resource again, and that create first looks for the job the
 *   stopped request made (by its marker, or by its manifest when the user's manifest names its own `generator`) and
 *   adopts it instead of sending CreateJob again; only when no such job exists does it create one. The record is
 *   then deleted, which cancels any other job carrying the marker (the adopted one no longer carries it).
 * - While {@link UNRESOLVED_HORIZON_MS} has not passed since the send and no job is found, the create and the
 *   delete refuse to go on: the service may still be processing the request, and a new job now could be a second one.
 * - `pulumi destroy` deletes the record the same way: the job it made, if any, is cancelled (released with a warning
 *   once started).
 *
 * Pure: ids, the record's state, the error. No I/O.
 */
import { randomBytes } from "node:crypto";
import { CREATE_MARKER_PREFIX } from "./create-marker";

/** What an unresolved create's id starts with (a JobId is five characters of [1-9A-NP-Z]: they cannot clash). */
export const UNRESOLVED_ID_PREFIX = "unresolved-create-";

/**
 * How long after the send a stopped CreateJob may still turn into a job: four times the SDK's 30 s response timeout.
 * Before that, "no job carries the marker" does not prove that none will.
 */
export const UNRESOLVED_HORIZON_MS = 2 * 60 * 1000;

/** What the stack records for an unresolved create (state key `unresolvedCreate`). */
export interface UnresolvedCreate {
  /** The create marker the request carried (absent: the user's manifest names its own `generator`). */
  readonly marker?: string;
  /** When the first CreateJob of the stopped create was sent (ISO 8601). */
  readonly sentAt: string;
  /** Why it is unresolved, as the stopped operation said it. */
  readonly reason: string;
}

/** Whether `id` is the id of an unresolved create, not a JobId. */
export function isUnresolvedId(id: string): boolean {
  return id.startsWith(UNRESOLVED_ID_PREFIX);
}

/** A new unresolved create's id: the marker's random part when there is one, so the id names the marker. */
export function unresolvedId(marker: string | undefined): string {
  const tail = marker?.startsWith(CREATE_MARKER_PREFIX) ? marker.slice(CREATE_MARKER_PREFIX.length) : randomBytes(8).toString("hex");
  return `${UNRESOLVED_ID_PREFIX}${tail}`;
}

/** The record in a resource's state, or undefined when the state is a job's. */
export function unresolvedOf(state: Readonly<Record<string, unknown>> | undefined): UnresolvedCreate | undefined {
  const u = state?.["unresolvedCreate"];
  if (typeof u !== "object" || u === null) return undefined;
  const r = u as Record<string, unknown>;
  if (typeof r["sentAt"] !== "string") return undefined;
  return {
    ...(typeof r["marker"] === "string" ? { marker: r["marker"] } : {}),
    sentAt: r["sentAt"],
    reason: typeof r["reason"] === "string" ? r["reason"] : "",
  };
}

/** The time before which a search that finds no job is not conclusive. */
export function horizonOf(u: UnresolvedCreate): Date {
  return new Date(Date.parse(u.sentAt) + UNRESOLVED_HORIZON_MS);
}
