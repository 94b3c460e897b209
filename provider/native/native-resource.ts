/**
 * What the plugin server needs from a resource and from the provider's configuration, and nothing more: the server
 * (./server) speaks gRPC and the engine's wire form, the implementations speak plain JavaScript. The implementations
 * are adapters over the dynamic face's runtimes (./resources), so both faces share every rule: this module names
 * none.
 */

/** A property of the schema: a resource input or output, or a provider setting. */
export interface PropertySpec {
  /** The property name, the same on both faces (e.g. `manifest`, `progressCode`, `endpoint`). */
  readonly name: string;
  /**
   * Its type as a Pulumi package schema states it (`{ type: "string" }`, `{ type: "object", properties }`,
   * `{ $ref: "pulumi.json#/Any" }`, `{ oneOf }`, …): plain JSON, copied into the schema as it is.
   */
  readonly type: Readonly<Record<string, unknown>>;
  /** What it is, for the schema and generated docs. */
  readonly description: string;
  /** Whether the value is a secret: marked secret on the wire and in the state. */
  readonly secret?: boolean;
  /** Whether an input must be set. */
  readonly required?: boolean;
}

/** A failed input check, by property. */
export interface InputFailure {
  readonly property: string;
  readonly reason: string;
}

/** The outcome of `check`: the checked inputs (what the engine stores and diffs), or failures. */
export interface CheckOutcome {
  readonly inputs: Record<string, unknown>;
  readonly failures: readonly InputFailure[];
}

/**
 * The outcome of `diff`, as the policy decided it. `changed` lists every changed input; `replaces` the properties
 * that force a replacement (a changed input, or a property such as `endpoint` that is not an input at all).
 */
export interface DiffOutcome {
  /** Whether anything changed (undefined: the resource cannot tell). */
  readonly changes: boolean | undefined;
  readonly changed: readonly string[];
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/** What `read` found: an empty `id` means the object is gone. */
export interface ReadOutcome {
  readonly id: string;
  readonly outputs?: Record<string, unknown>;
  readonly inputs?: Record<string, unknown>;
  /**
   * Properties secret by their value, not by the schema (e.g. a manifest that holds a device password): marked
   * secret in the inputs and outputs the read answers, even when the engine sent no state to say so (an import).
   */
  readonly secrets?: readonly string[];
}

/** What the engine says about the resource a `check` is for, besides its inputs. */
export interface CheckContext {
  /** The resource's URN. */
  readonly urn: string;
  /** The resource's name in the program (the URN's last part): the prefix of a generated name. */
  readonly name: string;
  /**
   * The engine's random seed for this resource: the same in preview and up, so a name generated from it is too
   * (empty when the engine sends none).
   */
  readonly randomSeed: Uint8Array;
}

/** What every operation gets besides its values. */
export interface OperationOptions {
  /**
   * Aborts when the operation is stopped: its timeout (`customTimeouts`) passed or the engine sent Cancel. Every
   * service call of the operation carries it (the request in flight is cut, nothing is sent after it).
   */
  readonly signal?: AbortSignal;
}

/** What `create` gets besides its inputs. */
export interface CreateOptions extends OperationOptions {
  /**
   * The state of the resource this create replaces, when it is a replacement (the engine does not send it; the
   * server remembers it from the Diff that decided the replacement).
   */
  readonly replaced?: Record<string, unknown>;
}

/** One resource type the plugin serves. Values in and out are plain JavaScript; unknowns are the unknown string. */
export interface NativeResource {
  /** The type token, e.g. `importexport:index:ImportExportJob`. */
  readonly token: string;
  /** The schema of the resource. */
  readonly schema: {
    readonly description: string;
    readonly inputs: readonly PropertySpec[];
    /**
     * Every output the state holds besides the inputs. Secret outputs, and secret inputs, are marked secret on every
     * answer.
     */
    readonly outputs: readonly PropertySpec[];
  };
  check(olds: Record<string, unknown>, news: Record<string, unknown>, context: CheckContext, options?: OperationOptions): Promise<CheckOutcome>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>, options?: OperationOptions): Promise<DiffOutcome>;
  create(inputs: Record<string, unknown>, options?: CreateOptions): Promise<{ readonly id: string; readonly outputs: Record<string, unknown> }>;
  read(id: string, state: Record<string, unknown>, options?: OperationOptions): Promise<ReadOutcome>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>, options?: OperationOptions): Promise<Record<string, unknown>>;
  delete(id: string, state: Record<string, unknown>, options?: OperationOptions): Promise<void>;
}

/** The provider's own configuration (the inputs of its provider resource). */
export interface NativeProviderConfig {
  /** The settings, as the provider resource's inputs. */
  readonly properties: readonly PropertySpec[];
  /** Checks the settings without applying them (CheckConfig). */
  check(values: Readonly<Record<string, unknown>>): readonly InputFailure[];
  /**
   * Applies the settings to every resource runtime (Configure). Unset values fall back to the environment.
   * `unknown` names the settings not known yet (a preview where they are another resource's outputs): then nothing
   * is applied, and the resources make no service call until a Configure with every setting known.
   */
  configure(values: Readonly<Record<string, unknown>>, unknown?: readonly string[]): Promise<void>;
}

/** Everything the plugin serves: its package name, configuration and resources. */
export interface NativePackage {
  /** The Pulumi package name (`importexport`). */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly config: NativeProviderConfig;
  readonly resources: readonly NativeResource[];
}
