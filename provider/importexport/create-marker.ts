/**
 * The create marker: how the provider recognises the job its own CreateJob made when the answer was lost.
 *
 * CreateJob has no client token. After an ambiguous CreateJob (sent, no clear answer) the provider scans ListJobs
 * and compares each recent job's `CurrentManifest` with what it sent. Comparing the user's manifest alone confuses
 * jobs whose manifests are identical (two resources of one stack, another stack of the same program, the previous
 * attempt of the same resource): it could adopt a job another resource tracks, or fail and leave its own job
 * untracked. So each create sends the manifest with a one-off marker in the manifest's `generator` option (the
 * service's field for "the tool that wrote this manifest"), and the comparison then matches exactly one job.
 *
 * The marker is only added when the user's manifest has no `generator` of its own (theirs is never overwritten; such
 * manifests fall back to the plain comparison), and `read` removes it again so it is never drift.
 */
import { randomBytes } from "node:crypto";
import { stringifyManifest } from "../../sdk/manifest";
import { parsedManifest, rememberParsed } from "./parsed-manifests";

/** What every marker starts with; `read` drops a `generator` that starts with it when the user wrote none. */
export const CREATE_MARKER_PREFIX = "pulumi-importexport create ";

/** A fresh marker: the prefix and 16 random hex digits (one per create call; retries of that call reuse it). */
export function newCreateMarker(): string {
  return `${CREATE_MARKER_PREFIX}${randomBytes(8).toString("hex")}`;
}

/**
 * `sent` (canonical manifest YAML as it will be sent) with the marker as `generator`, unless the manifest names its
 * own. The marked text's parse is kept (./parsed-manifests) for the CreateJob calls that send it: a canonical
 * manifest's parse with one more text option has the options and values its written text parses to.
 */
export function withCreateMarker(sent: string, marker: string = newCreateMarker()): string {
  const m = parsedManifest(sent);
  if (m.generator !== undefined && m.generator !== "") return sent;
  const marked = { ...m, generator: marker };
  const text = stringifyManifest(marked);
  rememberParsed(text, marked);
  return text;
}

/** Removes a marker `generator` from a live manifest (parsed) when the user's own manifest has no `generator`. */
export function dropCreateMarker(live: Record<string, unknown>, prior: Record<string, unknown>): void {
  const g = live["generator"];
  if (prior["generator"] === undefined && typeof g === "string" && g.startsWith(CREATE_MARKER_PREFIX)) delete live["generator"];
}
