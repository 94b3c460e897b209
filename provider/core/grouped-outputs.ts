/**
 * Outputs read from one registered output, so a resource can keep a flat, typed API (`job.progressCode`) without
 * paying Pulumi's per-output price for each member.
 *
 * Why: the Node runtime turns every key a resource registers into an `Output` with four debuggable promises, each
 * capturing (and source-mapping) a stack trace, and resolves each from the engine's answer, in every preview and
 * every `up`. For a resource with twenty-odd outputs that is most of the program's time (docs/provider.md,
 * "Benchmark"). So a resource registers its status as one object-valued output and defines the members as getters
 * that `apply` over it, built on first access and memoised per instance: a program that never reads
 * `progressCode` never pays for it. An output that must be secret stays a registered output of its own, because
 * `additionalSecretOutputs` marks whole top-level outputs.
 *
 * The provider side (its runtime, in the provider process) reads a prior state's group with {@link priorGroup},
 * which also reads a state written before the group existed (the members at the top level).
 */
import type * as pulumi from "@pulumi/pulumi";

const memo = new WeakMap<object, Map<string, pulumi.Output<unknown>>>();

/**
 * Defines on `target` (a resource class's prototype) one getter per name in `members`, each the member of that name
 * of the instance's registered output `group` (undefined while the group has no such member). Each getter makes
 * its Output once per instance.
 */
export function defineGroupedOutputs(target: object, group: string, members: readonly string[]): void {
  for (const name of members) {
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: false,
      // A props key of the same name (an input the table does not list, rejected later by check) is assigned by
      // Pulumi's constructor: it becomes an own property instead of failing on a getter-only accessor.
      set(this: object, value: unknown) {
        Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      },
      get(this: Record<string, unknown>): pulumi.Output<unknown> {
        let outputs = memo.get(this);
        if (!outputs) memo.set(this, (outputs = new Map()));
        let output = outputs.get(name);
        if (!output) {
          const source = this[group] as pulumi.Output<Record<string, unknown> | undefined>;
          output = source.apply((g) => g?.[name]);
          outputs.set(name, output);
        }
        return output;
      },
    });
  }
}

/**
 * The group of a prior state (create/update/read `outs`, as the engine hands them back): its `group` object, or, in a
 * state written before the outputs were grouped, the state itself (where the members were top-level).
 */
export function priorGroup(state: Readonly<Record<string, unknown>>, group: string): Readonly<Record<string, unknown>> {
  const g = state[group];
  return typeof g === "object" && g !== null && !Array.isArray(g) ? (g as Record<string, unknown>) : state;
}

/**
 * Whether a prior state was written before its outputs were grouped: it has a member every created state has at
 * its top level (`writtenBy`) but lacks one of the `groups` objects. The resource mechanism then reports a change,
 * so that an update rewrites the state (docs/provider.md, "Outputs").
 */
export function isUngroupedState(state: Readonly<Record<string, unknown>>, groups: readonly string[], writtenBy: string): boolean {
  if (state[writtenBy] === undefined) return false;
  return groups.some((group) => {
    const g = state[group];
    return typeof g !== "object" || g === null || Array.isArray(g);
  });
}
