/**
 * The update-vs-replace mechanism for job-like dynamic resources (design.md, principle 2).
 *
 * A resource declares a {@link ResourcePolicy}: for each input, whether a change to it can be applied in place
 * (and in which remote states), always forces a replacement, or only lives in Pulumi's state; and, for each remote
 * state, what `delete` does. The functions here read such a table; they know nothing about any particular service,
 * so a second resource (AWS IoT Jobs is planned) only writes its own table.
 *
 * Anchor: terraform-plugin-framework's `RequiresReplace` / `RequiresReplaceIf` plan modifiers. Pulumi's Node dynamic
 * provider can only answer `changes` + `replaces` from `diff` (no detailed diff), so the decision is a list of keys.
 *
 * Everything here is pure: no I/O, no clock, no randomness.
 */

/** Pulumi's marker for a value that is not known yet (during preview), at any nesting depth. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Keys the Pulumi runtime adds to every input and output bag; never part of a comparison. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__provider"]);

/** What a change to one input means. */
export type FieldRule<State extends string> =
  /** Any change replaces the remote object (terraform's `RequiresReplace`). */
  | { readonly kind: "replace-always" }
  /** The remote API can change it, but only while the object is in one of `states`; otherwise replace. */
  | { readonly kind: "updatable-while"; readonly states: readonly State[] }
  /** Only Pulumi's state holds it (e.g. a delete-time option): a change is an in-place update with no API call. */
  | { readonly kind: "state-only" };

/** What `delete` does for a remote object in a given state. */
export type DeleteRule =
  /** Ask the service to cancel or delete it. */
  | { readonly kind: "cancel" }
  /** Cancel only if the boolean input `optIn` is true; otherwise release it with a warning. */
  | { readonly kind: "cancel-if"; readonly optIn: string; readonly why: string }
  /** Leave the remote object alone and drop it from the stack, telling the user why. */
  | { readonly kind: "release"; readonly why: string }
  /** Nothing left to do: the remote object is already gone. */
  | { readonly kind: "gone" };

/** The whole policy of one resource type. */
export interface ResourcePolicy<State extends string> {
  /** Every input the resource has, with its rule. Inputs not listed are treated as `replace-always` (safe default). */
  readonly fields: Readonly<Record<string, FieldRule<State>>>;
  /** States in which the remote object no longer exists for practical purposes (a change can only replace it). */
  readonly goneStates: readonly State[];
  /** Delete rule per state. */
  readonly deleteRules: Readonly<Partial<Record<State, DeleteRule>>>;
  /** Delete rule for a state the table does not list (a service adding a new code must not make delete crash). */
  readonly defaultDeleteRule: DeleteRule;
}

/** Whether `value` is, or contains at any depth, Pulumi's unknown marker. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Structural equality for JSON-like values. `undefined` and `null` members count as absent, because Pulumi drops
 * `undefined` on the wire and a value the user removed must compare equal to one never set.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isAbsent(a) && isAbsent(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
    return true;
  }
  return false;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

/** One changed input and whether its new value is (partly) unknown. */
export interface FieldChange {
  readonly field: string;
  readonly unknown: boolean;
}

/**
 * The inputs whose value differs between `olds` and `news`, in the table's order (then any unlisted keys, sorted).
 * Reserved keys (`__provider`) are never compared: a new version of the provider code is not a change to the job.
 * A value containing the unknown marker counts as changed, since it may turn out different.
 */
export function changedFields<State extends string>(
  policy: ResourcePolicy<State>,
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const listed = Object.keys(policy.fields);
  const extra = [...new Set([...Object.keys(news)])].filter((k) => !listed.includes(k) && !RESERVED_KEYS.has(k)).sort();
  const out: FieldChange[] = [];
  for (const field of [...listed, ...extra]) {
    if (RESERVED_KEYS.has(field)) continue;
    const unknown = containsUnknown(news[field]);
    if (unknown || !deepEqual(olds[field], news[field])) out.push({ field, unknown });
  }
  return out;
}

function ruleOf<State extends string>(policy: ResourcePolicy<State>, field: string): FieldRule<State> {
  return policy.fields[field] ?? { kind: "replace-always" };
}

/**
 * Whether deciding these changes needs the remote object's current state. Only `updatable-while` fields do; when
 * every change is `replace-always` or `state-only` the answer is known without an API call.
 */
export function needsLiveState<State extends string>(policy: ResourcePolicy<State>, changes: readonly FieldChange[]): boolean {
  return changes.some((c) => ruleOf(policy, c.field).kind === "updatable-while");
}

/** What the live object looks like, as far as a diff cares. */
export type LiveState<State extends string> =
  /** Its current state code. */
  | { readonly kind: "state"; readonly state: State }
  /** Not found, or in one of the policy's gone states (e.g. cancelled, expired). */
  | { readonly kind: "gone" }
  /** Not looked up (not needed for the decision). */
  | { readonly kind: "not-read" };

/** The decision of a diff: Pulumi's `DiffResult` plus why, for messages and tests. */
export interface DiffDecision {
  /** Whether anything changed at all. */
  readonly changes: boolean;
  /** Inputs that force a replacement; empty for an in-place update or no change. */
  readonly replaces: string[];
  /** Inputs that change in place. */
  readonly updates: string[];
  /** One line a user can read, e.g. "manifest can change in place only while Pending, and it is InProgress". */
  readonly reason: string;
}

/**
 * Decide update vs replace.
 *
 * - no change → `changes: false`;
 * - `targetChanged` (the stack now points at another endpoint or account than the object lives in) → replace;
 * - live object gone → replace, naming every changed input (there is nothing left to update);
 * - otherwise each changed field by its rule: `replace-always` → replace; `updatable-while(states)` → update if the
 *   live state is one of `states`, else replace; `state-only` → update.
 */
export function decideDiff<State extends string>(
  policy: ResourcePolicy<State>,
  changes: readonly FieldChange[],
  live: LiveState<State>,
  targetChanged?: { readonly field: string; readonly from: string; readonly to: string },
): DiffDecision {
  if (targetChanged) {
    const fields = [targetChanged.field, ...changes.map((c) => c.field)];
    return {
      changes: true,
      replaces: fields,
      updates: [],
      reason: `${targetChanged.field} changed from ${targetChanged.from} to ${targetChanged.to}`,
    };
  }
  if (changes.length === 0) return { changes: false, replaces: [], updates: [], reason: "no change" };
  if (live.kind === "gone") {
    const fields = changes.map((c) => c.field);
    return { changes: true, replaces: fields, updates: [], reason: "the remote object is gone" };
  }
  const replaces: string[] = [];
  const updates: string[] = [];
  const reasons: string[] = [];
  for (const c of changes) {
    const rule = ruleOf(policy, c.field);
    if (rule.kind === "replace-always") {
      replaces.push(c.field);
      reasons.push(`${c.field} always forces replacement`);
    } else if (rule.kind === "state-only") {
      updates.push(c.field);
    } else if (live.kind === "state" && rule.states.includes(live.state)) {
      updates.push(c.field);
    } else {
      // Not read means the caller skipped the lookup; replacing is the conservative answer then.
      replaces.push(c.field);
      const where = live.kind === "state" ? live.state : "in an unknown state";
      reasons.push(`${c.field} can change in place only while ${rule.states.join(" or ")}, and it is ${where}`);
    }
  }
  return {
    changes: true,
    replaces,
    updates,
    reason: replaces.length > 0 ? reasons.join("; ") : `in-place update of ${updates.join(", ")}`,
  };
}

/** What delete will do, decided from the table. */
export type DeleteDecision =
  | { readonly kind: "cancel" }
  | { readonly kind: "release"; readonly why: string }
  | { readonly kind: "gone" };

/**
 * Decide what delete does for an object in `live` state. `inputs` supplies the opt-in flags that `cancel-if` rules
 * name (a flag counts only when it is literally `true`).
 */
export function decideDelete<State extends string>(
  policy: ResourcePolicy<State>,
  live: LiveState<State>,
  inputs: Readonly<Record<string, unknown>>,
): DeleteDecision {
  if (live.kind === "gone") return { kind: "gone" };
  if (live.kind === "not-read") return { kind: "cancel" };
  if (policy.goneStates.includes(live.state)) return { kind: "gone" };
  const rule = policy.deleteRules[live.state] ?? policy.defaultDeleteRule;
  switch (rule.kind) {
    case "cancel":
      return { kind: "cancel" };
    case "gone":
      return { kind: "gone" };
    case "release":
      return { kind: "release", why: rule.why };
    case "cancel-if":
      return inputs[rule.optIn] === true ? { kind: "cancel" } : { kind: "release", why: rule.why };
  }
}

/** Whether `state` means the remote object is gone under this policy. */
export function isGoneState<State extends string>(policy: ResourcePolicy<State>, state: string): boolean {
  return (policy.goneStates as readonly string[]).includes(state);
}
