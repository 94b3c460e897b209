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
