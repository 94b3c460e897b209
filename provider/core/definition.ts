/**
 * A resource described once, as data (design.md, principles 2 and 6): each input with its schema type, description,
 * whether it is required or secret, its validator and its update/replace rule; each output with its schema type,
 * description, whether it is secret and the registered output (group) it travels in.
 *
 * Everything else is read from it: the policy table's `fields` ({@link fieldRules}), the checked inputs' TypeScript
 * type ({@link CheckedOf}), check's local half ({@link normalizeInputs}), the request members of each call
 * ({@link requestMembers}), the output members of each group ({@link outputMembers}), and a Pulumi package schema
 * ({@link schemaOf}: names, types, descriptions, secrets, required). Where a type is still written by hand for its
 * doc comments (a resource's Args interface, its output interfaces), {@link ArgsMatch} and {@link MembersMatch}
 * prove at compile time that it names exactly the definition's fields.
 *
 * A definition holds functions only as validators (`normalize`); every other member is plain data, so a schema can
 * be read from it without running anything.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { containsUnknown, RESERVED_KEYS, type FieldRule } from "./policy";

/** A property's type, in the terms of a Pulumi package schema (`type`, `items`, `properties`, `$ref`). */
export type PropertyType =
  | { readonly type: "string"; readonly enum?: readonly string[] }
  | { readonly type: "integer" | "number" | "boolean" }
  | { readonly type: "array"; readonly items: PropertyType }
  | {
      readonly type: "object";
      readonly properties?: Readonly<Record<string, PropertyType>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: PropertyType;
    }
  | { readonly oneOf: readonly PropertyType[] }
  /** Any JSON value (an open structure this package does not model member by member). */
  | { readonly $ref: "pulumi.json#/Any" };

/** What a validator sees besides the value: the inputs normalised so far (in the definition's order), and the prior checked inputs. */
export interface NormalizeContext {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly olds: Readonly<Record<string, unknown>>;
}

/** A validator's answer: the canonical value to keep (absent: drop the input), and what is wrong with it. */
export interface Normalized {
  readonly value?: unknown;
  readonly failures?: readonly CheckFailure[];
}

/** Checks and normalises one known input value (neither absent nor unknown). */
export type Normalizer = (value: unknown, context: NormalizeContext) => Normalized;

/** One input. `T` is its TypeScript type after check (a phantom: never read at run time). */
export interface InputDefinition<T = unknown, State extends string = string, Call extends string = string> {
  /** Its type, as a package schema states it. */
  readonly type: PropertyType;
  /** What it is, for the schema and the docs. */
  readonly description: string;
  /** Whether a program must set it. */
  readonly required?: boolean;
  /** Whether its value may be secret: kept encrypted in state, never quoted in a failure. */
  readonly secret?: boolean;
  /** What a change means (the policy table's rule for it). */
  readonly rule: FieldRule<State, Call>;
  /** The service's member name for it in the calls that carry it, when it differs from the input's (`JobType`). */
  readonly member?: string;
  /** Checks and normalises a known value; without one, a known value is kept as it is. */
  readonly normalize?: Normalizer;
  /** Set by the provider or the resource class, never by a program: not in the Args type, not in the schema. */
  readonly internal?: boolean;
  /** The checked value's TypeScript type (phantom). */
  readonly checked?: T;
}

/** One output. `T` is its TypeScript type (a phantom). */
export interface OutputDefinition<T = unknown> {
  /** Its type, as a package schema states it. */
  readonly type: PropertyType;
  /** What it is, for the schema and the docs. */
  readonly description: string;
  /** Whether it is secret (its group is then a secret output: `additionalSecretOutputs` marks whole outputs). */
  readonly secret?: boolean;
  /** The registered output it travels in (./grouped-outputs); absent for an output registered on its own. */
  readonly group?: string;
  /** Whether every state holds it. */
  readonly required?: boolean;
  /** Whether it is also an output of its own name, a getter over its group (default true). */
  readonly flat?: boolean;
  /** Whether it is the resource's id (the class's getter returns `id`: never registered, never seeded). */
  readonly id?: boolean;
  /** The value's TypeScript type (phantom). */
  readonly value?: T;
}

/** The inputs of a definition, by name. */
export type InputDefinitions<State extends string = string, Call extends string = string> = Readonly<Record<string, InputDefinition<unknown, State, Call>>>;
/** The outputs of a definition, by name. */
export type OutputDefinitions = Readonly<Record<string, OutputDefinition>>;

/** A whole resource: its type token, description, inputs and outputs. */
export interface ResourceDefinition<I extends InputDefinitions = InputDefinitions, O extends OutputDefinitions = OutputDefinitions> {
  /** The type token a native plugin registers it under, e.g. `importexport:index:ImportExportJob`. */
  readonly token: string;
  /** What it is. */
  readonly description: string;
  /** Its inputs, in the order check validates them (a validator sees the ones before it). */
  readonly inputs: I;
  /** Its outputs besides its inputs. */
  readonly outputs: O;
  /** The registered outputs that hold grouped members (./grouped-outputs), each with its description. */
  readonly groups: Readonly<Record<string, { readonly description: string }>>;
}

/** Builds an input definition with its checked type `T`, keeping the literal members (`required: true`) in its type. */
export function input<T>() {
  return <const D extends Omit<InputDefinition<T>, "checked">>(definition: D): D & { readonly checked?: T } => definition;
}

/** Builds an output definition with its type `T`, keeping the literal members in its type. */
export function output<T>() {
  return <const D extends Omit<OutputDefinition<T>, "value">>(definition: D): D & { readonly value?: T } => definition;
}

// ---------------------------------------------------------------------------------------------------------------
// Types read from a definition

type CheckedType<D> = D extends { readonly checked?: infer T } ? T : never;
type RequiredKeys<I> = { [K in keyof I]: I[K] extends { readonly required: true } ? K : never }[keyof I];

/** The checked inputs a definition describes: required ones present, the others optional. */
export type CheckedOf<I> = { -readonly [K in RequiredKeys<I>]: CheckedType<I[K]> } & {
  -readonly [K in Exclude<keyof I, RequiredKeys<I>>]?: CheckedType<I[K]>;
};

/** The names of a definition's inputs a program sets (the internal ones left out). */
export type ProgramInputName<I> = { [K in keyof I]: I[K] extends { readonly internal: true } ? never : K }[keyof I];

/** The names of the outputs in `group`. */
export type GroupMember<O, G extends string> = { [K in keyof O]: O[K] extends { readonly group: G } ? K : never }[keyof O];

/** The value of the outputs in `group`, as a state holds them. */
export type GroupOf<O, G extends string> = { -readonly [K in GroupMember<O, G>]?: O[K] extends { readonly value?: infer T } ? T : never };

/** `true` when `A` and `B` are the same type (both ways assignable). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type RequiredMembers<A> = { [K in keyof A]-?: object extends Pick<A, K> ? never : K }[keyof A];

/**
 * `true` when a hand-written Args type names exactly the program inputs of `I`, with the same ones required: a
 * constant of this type set to `true` fails to compile when a field is added, removed or made optional on one side.
 */
export type ArgsMatch<A, I> = Same<keyof A, ProgramInputName<I>> extends true
  ? Same<RequiredMembers<A>, Extract<RequiredKeys<I>, ProgramInputName<I>>>
  : false;

/** `true` when a hand-written output interface names exactly the members of `group`. */
export type MembersMatch<T, O, G extends string> = Same<keyof T, GroupMember<O, G>>;

// ---------------------------------------------------------------------------------------------------------------
// Values read from a definition

/** The policy table's `fields`: each input's rule, in the definition's order. */
export function fieldRules<State extends string, Call extends string, I extends InputDefinitions<State, Call>>(
  inputs: I,
): { readonly [K in keyof I]: FieldRule<State, Call> } {
  return Object.fromEntries(Object.entries(inputs).map(([name, d]) => [name, d.rule])) as { readonly [K in keyof I]: FieldRule<State, Call> };
}

/**
 * The names of the outputs in `group`, in the definition's order; with `flat`, only those that are also outputs of
 * their own name (the getters a resource class defines over the group).
 */
export function outputMembers<O extends OutputDefinitions, G extends string>(outputs: O, group: G, flat = false): GroupMember<O, G>[] {
  return Object.entries(outputs)
    .filter(([, d]) => d.group === group && (!flat || d.flat !== false))
    .map(([name]) => name as GroupMember<O, G>);
}

/** The names of the outputs that are outputs of their own name (a resource class's members). */
export type FlatOutputName<O> = { [K in keyof O]: O[K] extends { readonly flat: false } ? never : K }[keyof O];

/** The registered outputs that are secret: every group holding a secret member, and every secret output of its own. */
export function secretOutputs(definition: ResourceDefinition): string[] {
  const secret = new Set<string>();
  for (const [name, d] of Object.entries(definition.outputs)) if (d.secret) secret.add(d.group ?? name);
  return [...secret];
}

/** The registered outputs (besides the inputs): the groups, then the outputs of their own, in the definition's order. */
export function registeredOutputs(definition: ResourceDefinition): string[] {
  const names = new Set<string>();
  for (const [name, d] of Object.entries(definition.outputs)) if (!d.id) names.add(d.group ?? name);
  return [...names];
}

/**
 * The members a call carries, by the service's names: each of `fields` that is set in `inputs`, under its `member`
 * name (or its own). The call's adapter adds what is not an input (the id, a flag) and converts what the wire
 * spells differently.
 */
export function requestMembers(inputs: InputDefinitions, fields: readonly string[], values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    out[inputs[field]?.member ?? field] = value;
  }
  return out;
}

/** The result of {@link normalizeInputs}. */
export interface NormalizedInputs {
  /** Inputs to return from `check`: canonical where the values are known, untouched where they are unknown. */
  readonly inputs: Record<string, unknown>;
  /** Local problems (empty when valid). */
  readonly failures: CheckFailure[];
  /** Whether any input is (partly) unknown: what depends on its value waits for `up`. */
  readonly hasUnknowns: boolean;
}

const isAbsent = (v: unknown): boolean => v === undefined || v === null;

/**
 * check's generic half: every input of the definition, in its order — an unknown value (preview) kept as it is, an
 * absent required one reported, a known one handed to its validator — then every key the definition does not hold
 * reported as an unknown input (`unknown` words the reason). Internal inputs are left to the resource's own check.
 */
export function normalizeInputs(
  inputs: InputDefinitions,
  news: Readonly<Record<string, unknown>>,
  olds: Readonly<Record<string, unknown>> = {},
  unknown: (name: string) => string = (name) => `unknown input "${name}"`,
): NormalizedInputs {
  const out: Record<string, unknown> = {};
  const failures: CheckFailure[] = [];
  let hasUnknowns = false;
  for (const [name, d] of Object.entries(inputs)) {
    if (d.internal) continue;
    const value = news[name];
    if (containsUnknown(value)) {
      hasUnknowns = true;
      out[name] = value;
    } else if (d.normalize !== undefined && (d.required || !isAbsent(value))) {
      const r = d.normalize(value, { inputs: out, olds });
      if ("value" in r && r.value !== undefined) out[name] = r.value;
      failures.push(...(r.failures ?? []));
    } else if (!isAbsent(value)) {
      out[name] = value;
    }
  }
  for (const k of Object.keys(news)) {
    if (!RESERVED_KEYS.has(k) && !(k in inputs) && !isAbsent(news[k])) failures.push({ property: k, reason: unknown(k) });
  }
  return { inputs: out, failures, hasUnknowns };
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

/** One property of a package schema. */
export type SchemaProperty = PropertyType & { readonly description: string; readonly secret?: boolean };

/** The part of a Pulumi package schema's resource entry a definition gives (`inputProperties`, `properties`, ...). */
export interface ResourceSchema {
  readonly description: string;
  readonly inputProperties: Readonly<Record<string, SchemaProperty>>;
  readonly requiredInputs: readonly string[];
  readonly properties: Readonly<Record<string, SchemaProperty>>;
  readonly required: readonly string[];
}

/**
 * The schema of a resource, read from its definition: its program inputs, and its properties (the inputs again, as
 * the engine reports them, plus every output, flat: the native face has no need for the dynamic face's groups).
 */
export function schemaOf(definition: ResourceDefinition): ResourceSchema {
  const prop = (d: { type: PropertyType; description: string; secret?: boolean }): SchemaProperty => ({ ...d.type, description: d.description, ...(d.secret ? { secret: true } : {}) });
  const inputs = Object.entries(definition.inputs).filter(([, d]) => !d.internal);
  const inputProperties = Object.fromEntries(inputs.map(([name, d]) => [name, prop(d)]));
  const requiredInputs = inputs.filter(([, d]) => d.required).map(([name]) => name);
  const outputs = Object.entries(definition.outputs);
  return {
    description: definition.description,
    inputProperties,
    requiredInputs,
    properties: { ...inputProperties, ...Object.fromEntries(outputs.map(([name, d]) => [name, prop(d)])) },
    required: [...requiredInputs, ...outputs.filter(([, d]) => d.required).map(([name]) => name)],
  };
}
