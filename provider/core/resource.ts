/**
 * What a resource class (../importexport/resource, ../iot/resource) needs besides its doc comments, read from its
 * definition: the props it hands Pulumi (every registered output seeded, then the args), the secret outputs, and
 * the flat output getters over each group (./grouped-outputs).
 */
import type * as pulumi from "@pulumi/pulumi";
import { outputMembers, registeredOutputs, secretOutputs, type ResourceDefinition } from "./definition";
import { defineGroupedOutputs } from "./grouped-outputs";

/** `T` with any member, at any depth, allowed to be a Pulumi `Input` (e.g. `bucket: myBucket.bucket`). */
export type DeepInput<T> = unknown extends T
  ? unknown // open-ended members (a manifest keeps options this package does not model) stay open
  : T extends string | number | boolean | null | undefined
  ? pulumi.Input<T>
  : T extends readonly (infer E)[]
    ? pulumi.Input<DeepInput<E>[]>
    : pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>;

/**
 * A dynamic resource's props: every output seeded as undefined so it appears on the object, then the args, copied
 * (the dynamic Resource constructor mutates props).
 */
export function seededProps(outputs: readonly string[], args: object): Record<string, unknown> {
  return Object.assign(Object.fromEntries(outputs.map((k) => [k, undefined])), args) as Record<string, unknown>;
}

/** The options with `secrets` added to the user's own `additionalSecretOutputs`. */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, secrets: readonly string[]): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secrets])] };
}

/** The props and options a resource class hands `pulumi.dynamic.Resource`, from its definition. */
export function resourceArgs(
  definition: ResourceDefinition,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
  extra: { readonly seeded?: readonly string[]; readonly secret?: readonly string[] } = {},
): { props: Record<string, unknown>; opts: pulumi.CustomResourceOptions } {
  return {
    props: seededProps([...(extra.seeded ?? []), ...registeredOutputs(definition)], args),
    opts: withSecretOutputs(opts, [...secretOutputs(definition), ...(extra.secret ?? [])]),
  };
}

/**
 * The args of a resource class's `get`: every program input of the definition named and undefined, so that each
 * becomes an output the engine's read fills in.
 */
export function readInputs(definition: ResourceDefinition): Record<string, undefined> {
  return Object.fromEntries(Object.entries(definition.inputs).filter(([, d]) => !d.internal).map(([k]) => [k, undefined]));
}

/** Defines on a resource class's prototype the flat getters over every group of its definition. */
export function defineOutputGetters(prototype: object, definition: ResourceDefinition): void {
  for (const group of Object.keys(definition.groups)) defineGroupedOutputs(prototype, group, outputMembers(definition.outputs, group, true));
}
