/**
 * The update-vs-replace mechanism for job-like dynamic resources (design.md, principle 2): the declarative half.
 *
 * A resource type is described by one {@link ResourcePolicy} — plain data, no functions:
 * - `fields`: every input the resource has, with its {@link FieldRule}: replaced on any change (`replace-always`),
 *   changed in place by a named API call while the remote object is in some states or in any (`updatable-while`),
 *   changed key by key through a pair of calls (`updatable-map`, e.g. tags via TagResource / UntagResource), or kept
 *   only in Pulumi's state (`state-only`). This one list is the list of inputs: normalisation rejects a key it does
 *   not hold, state → inputs extraction reads exactly it, and diff compares exactly it.
 * - `states`: the state codes the service is known to report; `gone`: which of them, and which error codes, mean
 *   the remote object no longer exists for practical purposes.
 * - `unknownState`: what happens when the service reports no state or one outside `states` — never an in-place
 *   update that depends on the state (replace, saying why), never a blind delete call (release, with a warning).
 * - `calls`: the API calls the table names (update steps and delete steps), each with the error codes that mean
 *   "the object moved on since the plan".
 * - `deleteRules`: for each live, non-gone state, what delete does: run a call (optionally only with an opt-in
 *   input, and optionally re-reading the state and continuing, for multi-step destroys like CancelJob → DeleteJob),
 *   or release the object from the stack with a warning.
 * - `deleteBeforeReplace`: whether a replacement must delete first (a user-fixed identity cannot exist twice).
 * - `words`: the nouns the generic messages use ("Job", "ProgressCode", "cancelled").
 *
 * The functions here read such a table and are pure (no I/O, no clock): {@link changedFields}, {@link decideDiff},
 * {@link planUpdate}, {@link decideDelete}, {@link classifyState}, {@link inputsOf}, and {@link validatePolicy},
 * which rejects a table that says something that can never apply (tests run it over every table).
 * ./mechanism drives them against a service through a small adapter (describe + perform a named call).
 *
 * How a second resource plugs in (AWS IoT Jobs did: ../iot/definition + the adapter in ../iot/adapter):
 * 1. Write its definition (./definition: each input with its rule) and its table, whose `fields` are read from it:
 *    `const iotJobPolicy: ResourcePolicy<IotJobStatusCode, IotCall> = { fields: fieldRules(inputs), states, gone, ... }`.
 * 2. Write its adapter ({@link import("./mechanism").ServiceAdapter}): `describe(id)` → the reported state code,
 *    `perform(call, request)` → one service call per name the table uses, `errorCode(e)`, `describeError(...)`.
 * 3. Its runtime module does check (its own normalisation, rejecting inputs the definition does not list) and
 *    create and read (outputs), and delegates diff / update / delete to `resourceMechanism(table, adapter)`.
 * 4. Add the table to `TABLES` in test/provider/core/policy.test.ts, which runs {@link validatePolicy} over each.
 * No branch in the mechanism names a field, a state, a call or an error code.
 *
 * Anchor: terraform-plugin-framework's `RequiresReplace` / `RequiresReplaceIf` plan modifiers. Pulumi's Node dynamic
 * provider can only answer `changes` + `replaces` (+ `deleteBeforeReplace`) from `diff` (no detailed diff), so the
 * decision is a list of keys, plus a reason printed for the user.
 */

import { IN_UPDATE } from "./update-run";

/** Pulumi's marker for a value that is not known yet (during preview), at any nesting depth. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Keys that are never an input and never compared: the one the Pulumi runtime adds to every input and output bag of
 * a dynamic resource, and the one a resource class adds during an update (./update-run).
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__provider", IN_UPDATE]);

/** In which live states a field can change in place: a list, or `"any"` (the service decides; no lookup needed). */
export type UpdatableStates<State extends string> = readonly State[] | "any";

/** How two values of a field compare. */
export type Comparison =
  /** Structural equality (absent = undefined = null). */
  | "exact"
  /** A list whose order does not matter (e.g. IoT `targets`). */
  | "set";

/** What a change to one input means. */
export type FieldRule<State extends string, Call extends string> =
  /** Any change replaces the remote object (terraform's `RequiresReplace`, CloudFormation's createOnly). */
  | { readonly kind: "replace-always"; readonly compare?: Comparison }
  /**
   * The API call `via` changes it in place, while the object is in one of `states` (or in any state); in another
   * known state a change replaces. Every field with the same `via` travels in that call together.
   */
  | { readonly kind: "updatable-while"; readonly states: UpdatableStates<State>; readonly via: Call; readonly compare?: Comparison }
  /**
   * A string map changed key by key: `set` receives the added or changed entries, `unset` the removed keys
   * (e.g. tags: TagResource / UntagResource).
   */
  | { readonly kind: "updatable-map"; readonly states: UpdatableStates<State>; readonly set: Call; readonly unset: Call }
  /** Only Pulumi's state holds it (e.g. a delete-time option): a change is an in-place update with no API call. */
  | { readonly kind: "state-only" };

/** What `delete` does for a remote object in a given (known, live) state. */
export type DeleteRule<Call extends string> =
  /**
   * Run the call `via`. With `optIn`, only when that (state-only, boolean) input is literally `true`; otherwise
   * release the object with the reason `otherwise`. `then: "reread"` reads the state again afterwards and applies
   * its rule (a multi-step destroy, e.g. CancelJob, then DeleteJob once cancelled); the default, `"done"`, means the
   * call leaves nothing to do.
   */
  | {
      readonly kind: "call";
      readonly via: Call;
      readonly optIn?: {
        readonly input: string;
        readonly otherwise: string;
        /**
         * Ask for the opt-in only while the adapter reports this condition of the object (e.g. "executions in
         * progress", read from the status); without `when`, always.
         */
        readonly when?: string;
      };
      readonly then?: "done" | "reread";
    }
  /** Leave the remote object alone and drop it from the stack, telling the user why. */
  | { readonly kind: "release"; readonly why: string };

/** What the table says about one API call it names. */
export interface CallRule {
  /**
   * Error codes meaning "the object moved on since the plan" (e.g. it started meanwhile). An update step then fails
   * telling the user the next `pulumi up` replaces it; a delete step releases the object with a warning.
   */
  readonly movedOn?: readonly string[];
}

/** When a replacement deletes the old object first (Pulumi's default is create-before-delete). */
export type DeleteBeforeReplace =
  /** Never: the service gives every object a fresh identity. */
  | { readonly kind: "never" }
  /**
   * When `input` (a replace-always field holding the identity the user fixed) is set: it cannot exist twice. With
   * `unlessTrue` (a state-only input), not when that input is literally `true`: the provider chose the identity
   * (an auto-name) and chooses a fresh one for the replacement.
   */
  | { readonly kind: "when-set"; readonly input: string; readonly unlessTrue?: string }
  /** Always. */
  | { readonly kind: "always" };

/** The whole policy of one resource type. `State`: the service's state codes; `Call`: the API calls it names. */
export interface ResourcePolicy<State extends string, Call extends string = string> {
  /** Every input the resource has, with its rule (the one list of inputs; see the module comment). */
  readonly fields: Readonly<Record<string, FieldRule<State, Call>>>;
  /** Every state code the service is known to report. A reported code outside it is an unknown state. */
  readonly states: readonly State[];
  /** What means the remote object is gone: these states, and these error codes from the status read or any call. */
  readonly gone: { readonly states: readonly State[]; readonly errors: readonly string[] };
  /**
   * The unknown-state rule, for a state the service does not report or this table does not know: a change that
   * depends on the state replaces (saying `why`), and delete releases the object with the warning `why`.
   */
  readonly unknownState: { readonly diff: "replace"; readonly delete: { readonly kind: "release"; readonly why: string } };
  /** The API calls the fields and delete rules name, in the order an update runs them. */
  readonly calls: Readonly<Record<Call, CallRule>>;
  /** Delete rule per known state that is not gone (every one must be listed: see {@link validatePolicy}). */
  readonly deleteRules: Readonly<Partial<Record<State, DeleteRule<Call>>>>;
  /** Whether a replacement deletes first. */
  readonly deleteBeforeReplace: DeleteBeforeReplace;
  /** Words for the generic messages: `resource` "Job", `state` "ProgressCode", `deleted` "cancelled". */
  readonly words: { readonly resource: string; readonly state: string; readonly deleted: string };
  /** Optional words after a state in messages, e.g. `InProgress: "the transfer has started"`. */
  readonly stateNotes?: Readonly<Partial<Record<State, string>>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

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

/** Equality of two lists as multisets (order ignored); non-lists compare structurally. */
export function setEqual(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return deepEqual(a, b);
  if (a.length !== b.length) return false;
  const rest = [...b];
  for (const x of a) {
    const i = rest.findIndex((y) => deepEqual(x, y));
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

function compareOf<State extends string, Call extends string>(rule: FieldRule<State, Call> | undefined): Comparison {
  return rule && "compare" in rule && rule.compare ? rule.compare : "exact";
}

/**
 * Just the inputs out of a state or input bag: exactly the table's fields (absent values dropped). The state also
 * holds outputs; those are never inputs.
 */
export function inputsOf<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  bag: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(policy.fields)) if (!isAbsent(bag[k])) out[k] = bag[k];
  return out;
}

/** Input keys of `bag` the table does not list (reserved keys excepted): `check` reports each as a failure. */
export function unlistedInputs<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  bag: Readonly<Record<string, unknown>>,
): string[] {
  return Object.keys(bag).filter((k) => !RESERVED_KEYS.has(k) && !(k in policy.fields) && !isAbsent(bag[k]));
}

// ---------------------------------------------------------------------------------------------------------------
// Diff

/** One changed input and whether its new value is (partly) unknown. */
export interface FieldChange {
  readonly field: string;
  readonly unknown: boolean;
}

/**
 * The inputs whose value differs between `olds` and `news`, in the table's order, then any key of `news` the table
 * does not list (sorted; such a key is `replace-always`, the safe default). Reserved keys (`__provider`) are never
 * compared: a new version of the provider code is not a change to the object. A value containing the unknown marker
 * counts as changed, since it may turn out different.
 */
export function changedFields<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const listed = Object.keys(policy.fields);
  const extra = Object.keys(news).filter((k) => !listed.includes(k) && !RESERVED_KEYS.has(k)).sort();
  const out: FieldChange[] = [];
  for (const field of [...listed, ...extra]) {
    const unknown = containsUnknown(news[field]);
    const equal = compareOf(policy.fields[field]) === "set" ? setEqual : deepEqual;
    if (unknown || !equal(olds[field], news[field])) out.push({ field, unknown });
  }
  return out;
}

function ruleOf<State extends string, Call extends string>(policy: ResourcePolicy<State, Call>, field: string): FieldRule<State, Call> {
  return policy.fields[field] ?? { kind: "replace-always" };
}

function dependsOnState<State extends string, Call extends string>(rule: FieldRule<State, Call>): rule is Extract<FieldRule<State, Call>, { states: unknown }> & { states: readonly State[] } {
  return (rule.kind === "updatable-while" || rule.kind === "updatable-map") && rule.states !== "any";
}

/**
 * Whether deciding these changes needs the remote object's current state: only when a changed field is updatable in
 * some states but not all. Otherwise the answer is known without an API call.
 */
export function needsLiveState<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  changes: readonly FieldChange[],
): boolean {
  return changes.some((c) => dependsOnState(ruleOf(policy, c.field)));
}

/** What the live object looks like, as far as the mechanism cares. */
export type LiveState<State extends string> =
  /** A state code the table knows (and not a gone one). */
  | { readonly kind: "state"; readonly state: State }
  /** Not found (a gone error code), or in one of the table's gone states. */
  | { readonly kind: "gone" }
  /** The service reported no state (`reported` undefined) or one the table does not know: the unknown-state rule. */
  | { readonly kind: "unknown"; readonly reported?: string }
  /** Not looked up (not needed for the decision). */
  | { readonly kind: "not-read" };

/** The live state a reported state code means under this table (the one place gone/unknown are decided). */
export function classifyState<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  reported: string | undefined,
): LiveState<State> {
  if (reported === undefined || reported === "") return { kind: "unknown" };
  if ((policy.gone.states as readonly string[]).includes(reported)) return { kind: "gone" };
  if ((policy.states as readonly string[]).includes(reported)) return { kind: "state", state: reported as State };
  return { kind: "unknown", reported };
}

/** Whether a service error code means the object is gone under this table. */
export function isGoneError<State extends string, Call extends string>(policy: ResourcePolicy<State, Call>, code: string | undefined): boolean {
  return code !== undefined && policy.gone.errors.includes(code);
}

/** The decision of a diff: Pulumi's `DiffResult` plus why, for messages and tests. */
export interface DiffDecision {
  /** Whether anything changed at all. */
  readonly changes: boolean;
  /** Inputs that force a replacement; empty for an in-place update or no change. */
  readonly replaces: string[];
  /** Inputs that change in place. */
  readonly updates: string[];
  /** Whether the replacement must delete the old object first. */
  readonly deleteBeforeReplace: boolean;
  /** One line a user can read, e.g. "manifest can change in place only while Pending, and it is InProgress". */
  readonly reason: string;
}

/** The stack now points at another place (endpoint, account) than the object lives in. */
export interface TargetChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

function describeLive<State extends string>(live: LiveState<State>, stateWord: string): string {
  if (live.kind === "state") return live.state;
  if (live.kind === "unknown") {
    return live.reported === undefined ? `in an unknown state (no ${stateWord} reported)` : `in an unknown state (${stateWord} ${live.reported})`;
  }
  return "in an unknown state";
}

/**
 * Decide update vs replace.
 *
 * - `target` (the stack now points at another endpoint or account than the object lives in) → replace;
 * - no change → `changes: false`;
 * - live object gone → replace, naming every changed input (there is nothing left to update);
 * - otherwise each changed field by its rule: `replace-always` → replace; `updatable-while` / `updatable-map` →
 *   update in any state when `"any"`, else update only if the live state is one of its states (an unknown or unread
 *   state replaces: the unknown-state rule); `state-only` → update.
 * - `deleteBeforeReplace` from the table's rule (`news` supplies the input `when-set` names).
 */
export function decideDiff<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  changes: readonly FieldChange[],
  live: LiveState<State>,
  options: { readonly target?: TargetChange; readonly news?: Readonly<Record<string, unknown>> } = {},
): DiffDecision {
  const dbr = (replaces: readonly string[]): boolean => replaces.length > 0 && deleteFirst(policy, options.news ?? {});
  const { target } = options;
  if (target) {
    const replaces = [target.field, ...changes.map((c) => c.field)];
    return { changes: true, replaces, updates: [], deleteBeforeReplace: dbr(replaces), reason: `${target.field} changed from ${target.from} to ${target.to}` };
  }
  if (changes.length === 0) return { changes: false, replaces: [], updates: [], deleteBeforeReplace: false, reason: "no change" };
  if (live.kind === "gone") {
    const replaces = changes.map((c) => c.field);
    return { changes: true, replaces, updates: [], deleteBeforeReplace: dbr(replaces), reason: "the remote object is gone" };
  }
  const replaces: string[] = [];
  const updates: string[] = [];
  const reasons: string[] = [];
  for (const c of changes) {
    const rule = ruleOf(policy, c.field);
    if (rule.kind === "replace-always") {
      replaces.push(c.field);
      reasons.push(`${c.field} always forces replacement`);
    } else if (rule.kind === "state-only" || !dependsOnState(rule)) {
      updates.push(c.field);
    } else if (live.kind === "state" && rule.states.includes(live.state)) {
      updates.push(c.field);
    } else {
      replaces.push(c.field);
      reasons.push(`${c.field} can change in place only while ${rule.states.join(" or ")}, and it is ${describeLive(live, policy.words.state)}`);
    }
  }
  return {
    changes: true,
    replaces,
    updates,
    deleteBeforeReplace: dbr(replaces),
    reason: replaces.length > 0 ? reasons.join("; ") : `in-place update of ${updates.join(", ")}`,
  };
}

function deleteFirst<State extends string, Call extends string>(policy: ResourcePolicy<State, Call>, news: Readonly<Record<string, unknown>>): boolean {
  const rule = policy.deleteBeforeReplace;
  if (rule.kind === "always") return true;
  if (rule.kind === "never") return false;
  if (rule.unlessTrue !== undefined && news[rule.unlessTrue] === true) return false;
  return !isAbsent(news[rule.input]);
}

// ---------------------------------------------------------------------------------------------------------------
// Update

/** The inputs that travel in `call` (the `updatable-while` fields whose `via` it is), in the table's order. */
export function fieldsSentBy<State extends string, Call extends string>(policy: ResourcePolicy<State, Call>, call: Call): string[] {
  return Object.entries(policy.fields)
    .filter(([, rule]) => rule.kind === "updatable-while" && rule.via === call)
    .map(([field]) => field);
}

/** The key-by-key change of a string map. */
export interface MapDelta {
  /** Added or changed entries. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Removed keys. */
  readonly unset: readonly string[];
}

/** One API call of an update: which call, and which changed inputs travel in it. */
export interface UpdateStep<Call extends string> {
  readonly call: Call;
  /** The changed inputs this call carries (for a map field, the one field). */
  readonly fields: readonly string[];
  /** For an `updatable-map` field: the entries to set (its `set` call) or the keys to remove (its `unset` call). */
  readonly map?: { readonly field: string; readonly set?: Readonly<Record<string, unknown>>; readonly unset?: readonly string[] };
}

/** The calls an in-place update makes, in the table's call order, and the inputs that need no call. */
export interface UpdatePlan<Call extends string> {
  readonly steps: readonly UpdateStep<Call>[];
  readonly stateOnly: readonly string[];
}

/** The key-by-key difference between two string maps (absent = empty). */
export function mapDelta(olds: unknown, news: unknown): MapDelta {
  const a = (olds && typeof olds === "object" ? olds : {}) as Record<string, unknown>;
  const b = (news && typeof news === "object" ? news : {}) as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (!isAbsent(v) && !deepEqual(a[k], v)) set[k] = v;
  const unset = Object.keys(a).filter((k) => !isAbsent(a[k]) && isAbsent(b[k])).sort();
  return { set, unset };
}

/**
 * Which calls an in-place update makes for these changes (after diff decided "update"): every `updatable-while`
 * field travels in its `via` call, grouped; an `updatable-map` field becomes its `set` call with the added/changed
 * entries and its `unset` call with the removed keys (each only when non-empty). Calls run in the table's `calls`
 * order. `replace-always` fields cannot reach an update and are ignored.
 */
export function planUpdate<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  changes: readonly FieldChange[],
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): UpdatePlan<Call> {
  const byCall = new Map<Call, UpdateStep<Call>[]>();
  const add = (s: UpdateStep<Call>) => byCall.set(s.call, [...(byCall.get(s.call) ?? []), s]);
  const stateOnly: string[] = [];
  for (const c of changes) {
    const rule = ruleOf(policy, c.field);
    if (rule.kind === "state-only") stateOnly.push(c.field);
    else if (rule.kind === "updatable-while") {
      const prior = byCall.get(rule.via)?.[0];
      byCall.set(rule.via, [{ call: rule.via, fields: [...(prior?.fields ?? []), c.field] }]);
    } else if (rule.kind === "updatable-map") {
      const d = mapDelta(olds[c.field], news[c.field]);
      if (Object.keys(d.set).length > 0) add({ call: rule.set, fields: [c.field], map: { field: c.field, set: d.set } });
      if (d.unset.length > 0) add({ call: rule.unset, fields: [c.field], map: { field: c.field, unset: d.unset } });
    }
  }
  const steps = (Object.keys(policy.calls) as Call[]).flatMap((call) => byCall.get(call) ?? []);
  return { steps, stateOnly };
}

// ---------------------------------------------------------------------------------------------------------------
// Delete

/** What delete will do, decided from the table. */
export type DeleteDecision<Call extends string = string> =
  | { readonly kind: "call"; readonly via: Call; readonly then: "done" | "reread" }
  | { readonly kind: "release"; readonly why: string }
  | { readonly kind: "gone" };

/**
 * Decide what delete does for an object in `live` state. `inputs` supplies the opt-in flags that `optIn` rules
 * name (a flag counts only when it is literally `true`); `conditions`, the named facts the adapter read from the
 * status, which an opt-in's `when` may name. An unknown or unread state gets the unknown-state rule: never a call
 * made blindly.
 */
export function decideDelete<State extends string, Call extends string>(
  policy: ResourcePolicy<State, Call>,
  live: LiveState<State>,
  inputs: Readonly<Record<string, unknown>>,
  conditions: readonly string[] = [],
): DeleteDecision<Call> {
  if (live.kind === "gone") return { kind: "gone" };
  const rule = live.kind === "state" ? policy.deleteRules[live.state] : undefined;
  if (!rule || rule.kind === "release") return rule ?? policy.unknownState.delete;
  const asked = rule.optIn !== undefined && (rule.optIn.when === undefined || conditions.includes(rule.optIn.when));
  if (rule.optIn && asked && inputs[rule.optIn.input] !== true) return { kind: "release", why: rule.optIn.otherwise };
  return { kind: "call", via: rule.via, then: rule.then ?? "done" };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/**
 * Everything in `policy` that can never apply, or that the mechanism would have to guess, as one message per
 * problem (empty = valid). Tests run it over every table; an invalid table is a bug, not a runtime condition.
 */
export function validatePolicy<State extends string, Call extends string>(policy: ResourcePolicy<State, Call>): string[] {
  const problems: string[] = [];
  const known = new Set<string>(policy.states);
  const gone = new Set<string>(policy.gone.states);
  const calls = new Set<string>(Object.keys(policy.calls));
  const used = new Set<string>();
  for (const s of gone) if (!known.has(s)) problems.push(`gone.states: ${s} is not one of states`);
  const checkStates = (where: string, states: UpdatableStates<State>) => {
    if (states === "any") return;
    if (states.length === 0) problems.push(`${where}: an empty state list can never apply (use replace-always)`);
    for (const s of states) {
      if (!known.has(s)) problems.push(`${where}: ${s} is not one of states`);
      else if (gone.has(s)) problems.push(`${where}: ${s} is a gone state, so an update there can never happen`);
    }
  };
  const checkCall = (where: string, call: string) => {
    used.add(call);
    if (!calls.has(call)) problems.push(`${where}: call ${call} is not in calls`);
  };
  for (const [field, rule] of Object.entries(policy.fields)) {
    if (RESERVED_KEYS.has(field)) problems.push(`fields.${field}: a reserved key is never an input`);
    if (rule.kind === "updatable-while") {
      checkStates(`fields.${field}`, rule.states);
      checkCall(`fields.${field}`, rule.via);
    } else if (rule.kind === "updatable-map") {
      checkStates(`fields.${field}`, rule.states);
      checkCall(`fields.${field}.set`, rule.set);
      checkCall(`fields.${field}.unset`, rule.unset);
      if (rule.set === rule.unset) problems.push(`fields.${field}: set and unset must be different calls`);
    }
  }
  for (const [state, rule] of Object.entries(policy.deleteRules) as Array<[string, DeleteRule<Call> | undefined]>) {
    if (!rule) continue;
    if (!known.has(state)) problems.push(`deleteRules.${state}: not one of states, so it can never apply`);
    if (gone.has(state)) problems.push(`deleteRules.${state}: ${state} is a gone state, so this rule can never apply`);
    if (rule.kind === "call") {
      checkCall(`deleteRules.${state}`, rule.via);
      if (rule.optIn) {
        const flag = policy.fields[rule.optIn.input];
        if (!flag || flag.kind !== "state-only") problems.push(`deleteRules.${state}: opt-in input ${rule.optIn.input} must be a state-only field`);
      }
    }
  }
  for (const s of policy.states) {
    if (!gone.has(s) && policy.deleteRules[s] === undefined) problems.push(`deleteRules: no rule for ${s}`);
  }
  for (const c of calls) if (!used.has(c)) problems.push(`calls.${c}: no field or delete rule uses it`);
  const dbr = policy.deleteBeforeReplace;
  if (dbr.kind === "when-set" && policy.fields[dbr.input]?.kind !== "replace-always") {
    problems.push(`deleteBeforeReplace: ${dbr.input} must be a replace-always field`);
  }
  if (dbr.kind === "when-set" && dbr.unlessTrue !== undefined && policy.fields[dbr.unlessTrue]?.kind !== "state-only") {
    problems.push(`deleteBeforeReplace: unlessTrue ${dbr.unlessTrue} must be a state-only field`);
  }
  for (const s of Object.keys(policy.stateNotes ?? {})) if (!known.has(s)) problems.push(`stateNotes.${s}: not one of states`);
  return problems;
}
