/**
 * The update-vs-replace mechanism, run: diff / update / delete (and the live-state read they share) for any
 * resource described by a {@link ResourcePolicy} (./policy), against its service through a {@link ServiceAdapter}.
 *
 * Nothing here names a field, a state, a call or an error code: every decision comes from the table, every service
 * call goes through the adapter. A resource's runtime module keeps what is truly its own — `check` (normalisation
 * and validation of its inputs), `create` and `read` (its outputs) — and delegates the rest:
 *
 * ```ts
 * const m = resourceMechanism(myPolicy, {
 *   statusCall: "DescribeJob",
 *   describe: async (id) => { const r = await client.describeJob({ jobId: id }); return { state: r.job?.status, status: r }; },
 *   perform: async (call, req) => { switch (call) { case "UpdateJob": ...; case "CancelJob": ...; } },
 *   errorCode: (e) => (e instanceof IoTServiceException ? e.name : undefined),
 *   errorMessage: (e) => (e as Error).message,
 *   describeError: (op, id, e) => `${op} for job ${id} failed: ...`,
 *   warn: (m) => console.log(`warning: ${m}`),
 *   error: (m) => new IotJobError(m), // optional: the class the user sees
 * });
 * export const diff = (id, olds, news) => m.diff(id, olds, news);
 * ```
 *
 * Rules it keeps for every resource:
 * - An unchanged resource costs nothing: no change → no API call; the live state is read only when a changed input
 *   is updatable in some states but not all.
 * - The unknown-state rule: a state the service does not report or the table does not know never allows a
 *   state-dependent in-place update (replace, with the reason printed) and never gets a delete call (release, with
 *   a warning).
 * - "Gone" is decided once (`classifyState`, `isGoneError`): by the table's gone states and gone error codes, for
 *   the status read and for every call.
 * - Errors are one line for the user (no stack trace), naming the object and what to do next.
 */
import { wait } from "./operation-signal";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isUngroupedState } from "./grouped-outputs";
import {
  changedFields,
  classifyState,
  decideDelete,
  decideDiff,
  inputsOf,
  isGoneError,
  needsLiveState,
  planUpdate,
  RESERVED_KEYS,
  type DiffDecision,
  type LiveState,
  type ResourcePolicy,
  type TargetChange,
  type UpdatePlan,
  type UpdateStep,
} from "./policy";

/** An error meant for the person running `pulumi`: its message is the whole story, so no stack trace is shown. */
export class ProviderError extends Error {
  override readonly name: string = "ProviderError";
  constructor(message: string) {
    super(message);
    // The dynamic-provider host prints `${e}: ${e.stack}` for failed check/diff/read/delete; keep that one line.
    this.stack = "";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** What one call of the table receives from the mechanism. */
export interface CallRequest<Call extends string> {
  /** The object's id. */
  readonly id: string;
  /** Why the call runs. */
  readonly purpose: "update" | "delete";
  /** The new (checked) inputs for an update; the state's inputs for a delete. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The previous inputs (from the state). */
  readonly olds: Readonly<Record<string, unknown>>;
  /** The whole prior state, outputs too: for calls that address the object by an output (e.g. its ARN). */
  readonly state: Readonly<Record<string, unknown>>;
  /** For an update: the changed inputs this call carries (and for a map field, the entries/keys). */
  readonly step?: UpdateStep<Call>;
}

/** What a call may report back. */
export interface CallResult {
  /** A non-fatal note from the service to keep (e.g. WarningMessage). */
  readonly warning?: string;
  /** Outputs the call produced (e.g. a shipping label's URL), merged into the resource's outputs by its runtime. */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** The small per-service part: how to read an object's state and how to make each call the table names. */
export interface ServiceAdapter<Call extends string, Status> {
  /** The name of the status read, for messages (e.g. "GetStatus", "DescribeJob"). */
  readonly statusCall: string;
  /**
   * The output groups a current state holds (./grouped-outputs) and a top-level member every created state has. A
   * prior state with that member but without a group predates the grouping: its diff reports a change even with
   * unchanged inputs, and the update (no call but the status read) rewrites it.
   */
  readonly outputGroups?: { readonly groups: readonly string[]; readonly writtenBy: string };
  /**
   * Reads the object: the state code as the service reports it (undefined when it reports none), the whole
   * status, and the named conditions of it that the table's delete opt-ins may ask about (`optIn.when`). Throws the service's error as it is (a gone code is recognised by the mechanism).
   */
  describe(id: string): Promise<{ readonly state: string | undefined; readonly status: Status; readonly conditions?: readonly string[] }>;
  /** Makes one call the table names (an update step or a delete step). Throws the service's error as it is. */
  perform(call: Call, request: CallRequest<Call>): Promise<CallResult | void>;
  /** The service's wire error code of `e`, or undefined when `e` is not a service error (network, bug). */
  errorCode(e: unknown): string | undefined;
  /** The service's message of a service error (for messages; never a secret). */
  errorMessage(e: unknown): string;
  /** One line for a failed `operation` on `id`, never with a secret (and never a stack trace). */
  describeError(operation: string, id: string | undefined, e: unknown): string;
  /** Shows a warning to the user. */
  warn(message: string): void;
  /** The error the user sees (default {@link ProviderError}); must keep the message as the whole story. */
  error?(message: string): Error;
}

/** Tuning of the mechanism (tests shorten the waits). */
export interface MechanismOptions {
  /** Re-reads while a `then: "reread"` delete step waits for the state to move on. Default 20 × 500 ms. */
  readonly poll?: { readonly attempts: number; readonly intervalMs: number };
}

/** A live state and the status it came from. */
export interface LiveRead<State extends string, Status> {
  readonly live: LiveState<State>;
  readonly status?: Status;
  /** The conditions the adapter reported with the status. */
  readonly conditions?: readonly string[];
}

/** The outcome of an in-place update: what each call reported, in the order they ran. */
export interface UpdateOutcome<Call extends string> {
  readonly plan: UpdatePlan<Call>;
  readonly results: ReadonlyArray<{ readonly call: Call; readonly result: CallResult }>;
}

/** diff / update / delete for one resource type, bound to its table and adapter. */
export interface ResourceMechanism<State extends string, Call extends string, Status> {
  /** The object's live state: gone by the table's gone states or error codes, unknown by the unknown-state rule. */
  liveState(id: string): Promise<LiveRead<State, Status>>;
  /** The inputs of a state or input bag: exactly the table's fields. */
  inputsOf(bag: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Decides update vs replace (reading the live state only when needed) and prints the reason of a replacement. */
  decide(id: string, olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>, target?: TargetChange): Promise<DiffDecision>;
  /** Pulumi's `diff`: {@link decide}, as a DiffResult. */
  diff(id: string, olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>, target?: TargetChange): Promise<dynamic.DiffResult>;
  /** Runs the calls of an in-place update, in the table's order. A call refused because the object moved on fails saying `pulumi up` replaces it. */
  update(id: string, olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>): Promise<UpdateOutcome<Call>>;
  /** Pulumi's `delete`: the table's rule for the live state, step by step. */
  delete(id: string, props: Readonly<Record<string, unknown>>): Promise<void>;
}

function withoutReserved(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(bag).filter(([k, v]) => !RESERVED_KEYS.has(k) && v !== undefined && v !== null));
}

/** Binds the mechanism to a table and an adapter. */
export function resourceMechanism<State extends string, Call extends string, Status>(
  policy: ResourcePolicy<State, Call>,
  adapter: ServiceAdapter<Call, Status>,
  options: MechanismOptions = {},
): ResourceMechanism<State, Call, Status> {
  const poll = options.poll ?? { attempts: 20, intervalMs: 500 };
  const { resource, state: stateWord, deleted } = policy.words;
  const userError = (message: string): Error => (adapter.error ? adapter.error(message) : new ProviderError(message));

  const fail = (operation: string, id: string, e: unknown): never => {
    if (e instanceof ProviderError) throw e;
    throw userError(adapter.describeError(operation, id, e));
  };

  const reported = (r: LiveRead<State, Status>, raw: string | undefined): string =>
    r.live.kind === "state" ? r.live.state : raw ?? "unknown";

  async function readWithRaw(id: string): Promise<LiveRead<State, Status> & { raw?: string }> {
    try {
      const { state, status, conditions } = await adapter.describe(id);
      return { live: classifyState(policy, state), status, ...(conditions ? { conditions } : {}), ...(state !== undefined ? { raw: state } : {}) };
    } catch (e) {
      if (isGoneError(policy, adapter.errorCode(e))) return { live: { kind: "gone" } };
      return fail(adapter.statusCall, id, e);
    }
  }

  async function liveState(id: string): Promise<LiveRead<State, Status>> {
    const { live, status } = await readWithRaw(id);
    return status !== undefined ? { live, status } : { live };
  }

  async function decide(
    id: string,
    olds: Readonly<Record<string, unknown>>,
    news: Readonly<Record<string, unknown>>,
    target?: TargetChange,
  ): Promise<DiffDecision> {
    const n = withoutReserved(news);
    const changes = changedFields(policy, inputsOf(policy, olds), n);
    if (!target && changes.length === 0) return decideDiff(policy, changes, { kind: "not-read" }, { news: n });
    const live: LiveState<State> = !target && needsLiveState(policy, changes) ? (await liveState(id)).live : { kind: "not-read" };
    const d = decideDiff(policy, changes, live, { news: n, ...(target ? { target } : {}) });
    // A dynamic provider cannot return a detailed diff, so say why in words: the preview shows this line with the plan.
    if (d.replaces.length > 0) console.log(`${resource} ${id} will be replaced: ${d.reason}.`);
    return d;
  }

  async function diff(
    id: string,
    olds: Readonly<Record<string, unknown>>,
    news: Readonly<Record<string, unknown>>,
    target?: TargetChange,
  ): Promise<dynamic.DiffResult> {
    const d = await decide(id, olds, news, target);
    if (!d.changes) {
      const groups = adapter.outputGroups;
      return { changes: groups !== undefined && isUngroupedState(olds, groups.groups, groups.writtenBy) };
    }
    return { changes: true, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
  }

  async function update(
    id: string,
    olds: Readonly<Record<string, unknown>>,
    news: Readonly<Record<string, unknown>>,
  ): Promise<UpdateOutcome<Call>> {
    const n = withoutReserved(news);
    const prior = inputsOf(policy, olds);
    const plan = planUpdate(policy, changedFields(policy, prior, n), prior, n);
    const results: Array<{ call: Call; result: CallResult }> = [];
    for (const step of plan.steps) {
      try {
        const result = (await adapter.perform(step.call, { id, purpose: "update", inputs: n, olds: prior, state: olds, step })) ?? {};
        results.push({ call: step.call, result });
      } catch (e) {
        const code = adapter.errorCode(e);
        if (code !== undefined && policy.calls[step.call].movedOn?.includes(code)) {
          // The plan allowed an in-place update, but the object moved on since: the next plan replaces it.
          const now = await readWithRaw(id).catch(() => undefined);
          const where = now?.live.kind === "state" ? now.live.state : now?.raw !== undefined ? `${stateWord} ${now.raw}` : "no longer updatable";
          const note = now?.live.kind === "state" ? policy.stateNotes?.[now.live.state] : undefined;
          throw userError(
            `${resource} ${id} is ${where}${note ? ` (${note})` : ""}, so its ${step.fields.join(", ")} can no longer be updated; run \`pulumi up\` again to replace it.`,
          );
        }
        if (isGoneError(policy, code)) {
          throw userError(
            `${resource} ${id} can no longer be updated: ${adapter.errorMessage(e)} (${code}). Run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to create a new one.`,
          );
        }
        fail(step.call, id, e);
      }
    }
    return { plan, results };
  }

  async function delete_(id: string, props: Readonly<Record<string, unknown>>): Promise<void> {
    const inputs = inputsOf(policy, props);
    let read = await readWithRaw(id);
    // Each step moves the object on (e.g. CancelJob, then DeleteJob); a table cannot loop longer than its states.
    for (let steps = 0; steps <= policy.states.length; steps++) {
      const decision = decideDelete(policy, read.live, inputs, read.conditions);
      if (decision.kind === "gone") return;
      const code = reported(read, read.raw);
      if (decision.kind === "release") {
        adapter.warn(`${resource} ${id} (${stateWord} ${code}) was not ${deleted}: ${decision.why}. It is released from the stack and left as it is in the service.`);
        return;
      }
      try {
        await adapter.perform(decision.via, { id, purpose: "delete", inputs, olds: inputs, state: props });
      } catch (e) {
        const err = adapter.errorCode(e);
        if (isGoneError(policy, err)) return;
        if (err !== undefined && policy.calls[decision.via].movedOn?.includes(err)) {
          // It moved on between the status read and the call: release it rather than fail.
          adapter.warn(`${resource} ${id} could not be ${deleted} (${err}: ${adapter.errorMessage(e)}); it probably moved on meanwhile (${stateWord} was ${code}). It is released from the stack.`);
          return;
        }
        fail(decision.via, id, e);
      }
      if (decision.then === "done") return;
      const before = code;
      read = await readWithRaw(id);
      for (let i = 0; i < poll.attempts && read.live.kind !== "gone" && reported(read, read.raw) === before; i++) {
        await wait(poll.intervalMs);
        read = await readWithRaw(id);
      }
      if (read.live.kind !== "gone" && reported(read, read.raw) === before) {
        throw userError(`${resource} ${id} is still ${before} after ${decision.via}; run the command again to continue.`);
      }
    }
    throw userError(`${resource} ${id}: delete did not finish after ${policy.states.length + 1} steps; run the command again.`);
  }

  return { liveState, inputsOf: (bag) => inputsOf(policy, bag), decide, diff, update, delete: delete_ };
}
