/**
 * Reading the engine's own events in engine tests (native and YAML alike): which steps it planned or ran for a
 * resource, and what it said on that resource. A resource is named by the last part of its URN (`…::photos`), as the
 * program names it.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** The resourcePreEvent metadata (op, diff, inputs) of the resource named `name`, in order. */
export function stepsOf(events: readonly EngineEvent[], name: string) {
  return events.map((e) => e.resourcePreEvent?.metadata).filter((m) => m !== undefined && m.urn.endsWith(`::${name}`));
}

/** Diagnostics attached to the resource named `name` (its URN), optionally of one severity. */
export function diagnosticsOn(events: readonly EngineEvent[], name: string, severity?: string) {
  return events
    .map((e) => e.diagnosticEvent)
    .filter((d) => d !== undefined && d.urn?.endsWith(`::${name}`) === true && (severity === undefined || d.severity === severity));
}

/** The messages of the warnings the engine showed on the resource named `name`, in order. */
export function warningsOn(events: readonly EngineEvent[], name: string): string[] {
  return diagnosticsOn(events, name, "warning").map((d) => d?.message ?? "");
}
