/**
 * The scaffolding every resource runtime (../importexport/runtime, ../iot/runtime) shares, written once:
 * - settings and connection: `configure` resolves the stack config (an engine that never calls it gets the
 *   environment's), the connection is built on first use, and both are dropped together (a new configuration, or
 *   `resetForTests` between configurations in one process);
 * - errors as one line for the user, naming the operation, the object and what to do next (`describeError`,
 *   `fail`), never a stack trace and never a secret; warnings (`warn`); checked inputs (`checked`); and the error that
 *   keeps an object in the stack when a step after its creation fails (`initFailed`).
 *
 * What differs per service is handed in: how to resolve settings and connect, the endpoint for messages, and how to
 * read a service error (`classify`).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { ProviderError } from "./mechanism";
import { orStopped } from "./operation-signal";
import { ProviderConfigError, type ConfigReader } from "./settings";

/** What a failed call was, as far as the message needs it. */
export type ErrorReport =
  /** The service answered with an error code. */
  | { readonly kind: "service"; readonly code: string; readonly message: string }
  /** The SDK refused to send the request (a local validation), with its code. */
  | { readonly kind: "not-sent"; readonly code: string; readonly message: string }
  /** The service could not be reached. */
  | { readonly kind: "unreachable"; readonly detail: string }
  /**
   * The call was stopped by the operation's signal (a timeout or the engine's Cancel, ./operation-signal);
   * `requestSent`: the service may have processed it.
   */
  | { readonly kind: "aborted"; readonly requestSent: boolean };

/** The per-service part of a runtime's scaffolding. */
export interface RuntimeOptions<Settings, Connection> {
  /** The config namespace (`importexport`, `importexport-iot`), named in messages about the endpoint. */
  readonly namespace: string;
  /** What the object is called in messages: `job`, `IoT job`. */
  readonly noun: string;
  /** Resolves the settings from stack config (throws ProviderConfigError for a bad value). */
  resolve(config: ConfigReader): Settings;
  /** Builds the connection (client and credentials) for the settings. */
  connect(settings: Settings): Promise<Connection>;
  /** Closes a connection's keep-alive sockets. */
  close(connection: Connection): Promise<void> | void;
  /** The endpoint the settings point at, for messages. */
  endpoint(settings: Settings): string;
  /** What a failure was (undefined: not a service, SDK or network error, e.g. a bug). */
  classify(e: unknown): ErrorReport | undefined;
  /** The error the user sees (a {@link ProviderError}: its message is the whole story). */
  error(message: string): ProviderError;
}

/** A {@link ProviderError} that also tells Pulumi the object exists (ErrorResourceInitFailed): its id and state are kept. */
export type InitFailedError = ProviderError & { id: string; properties: Record<string, unknown>; reasons: string[] };

/** The scaffolding of one resource runtime, bound to its service. */
export interface RuntimeScaffold<Settings, Connection> {
  /** Pulumi's `configure`: resolves the stack config; drops the connection and everything cached with it. */
  configure(req: dynamic.ConfigureRequest): Promise<void>;
  /** The current settings (the environment's when `configure` never ran). */
  settings(): Settings;
  /** The connection, built on first use. */
  connection(): Promise<Connection>;
  /** A value computed once per connection (e.g. the caller's account), dropped with it. */
  perConnection<T>(compute: () => Promise<T>): () => Promise<T>;
  /** Drops settings, connection and what was cached with them, closing the connection (tests). */
  resetForTests(): Promise<void>;
  /** One line for a failed `operation` on `id`, never with a secret. */
  describeError(operation: string, id: string | undefined, e: unknown): string;
  /** Throws `e` as the user's error: as it is when it already is one, else {@link describeError}. */
  fail(operation: string, id: string | undefined, e: unknown): never;
  /** Shows a warning to the user. */
  warn(message: string): void;
  /** The inputs of a normalisation result, or the user's error naming its first failure. */
  checked<T>(result: { readonly inputs: Record<string, unknown>; readonly failures: readonly CheckFailure[] }): T;
  /** The error for a step that failed after the object `id` was created: Pulumi keeps `properties` as its state. */
  initFailed(id: string, properties: Record<string, unknown>, step: string, e: unknown): InitFailedError;
}

/** Builds the scaffolding of a resource runtime (module state of the provider process; configure runs once per process). */
export function runtimeScaffold<Settings, Connection>(options: RuntimeOptions<Settings, Connection>): RuntimeScaffold<Settings, Connection> {
  let settings: Settings | undefined;
  let connection: Promise<Connection> | undefined;
  const cached: Array<() => void> = [];
  const drop = (): void => {
    connection = undefined;
    for (const clear of cached) clear();
  };
  const current = (): Settings => (settings ??= options.resolve({ get: () => undefined }));
  const Noun = options.noun.charAt(0).toUpperCase() + options.noun.slice(1);

  const describeError = (operation: string, id: string | undefined, e: unknown): string => {
    if (e instanceof ProviderError) return e.message;
    const at = id ? ` for ${options.noun} ${id}` : "";
    const report = options.classify(e);
    switch (report?.kind) {
      case "service":
        return `${operation}${at} failed: ${report.message} (${report.code})`;
      case "not-sent":
        return `${operation}${at} was not sent: ${report.message} (${report.code})`;
      case "aborted":
        return `${operation}${at} was stopped before it finished (${report.requestSent ? "the request had been sent: the service may have processed it" : "nothing had been sent"})`;
      case "unreachable":
        return `${operation}${at} failed: could not reach ${options.endpoint(current())} (${report.detail}). Check ${options.namespace}:endpoint and that the service is up.`;
      default:
        return `${operation}${at} failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  };

  return {
    async configure(req) {
      try {
        settings = options.resolve(req.config as ConfigReader);
      } catch (e) {
        if (e instanceof ProviderConfigError) throw options.error(e.message);
        throw e;
      }
      drop();
    },
    settings: current,
    connection: () => (connection ??= options.connect(current())),
    perConnection<T>(compute: () => Promise<T>) {
      let value: Promise<T> | undefined;
      cached.push(() => (value = undefined));
      // Computed once for every later operation, so a stopped operation stops waiting for it but does not cut it.
      return () => orStopped((value ??= compute()));
    },
    async resetForTests() {
      const open = connection;
      settings = undefined;
      drop();
      if (open) await options.close(await open);
    },
    describeError,
    fail(operation, id, e): never {
      if (e instanceof ProviderError) throw e;
      throw options.error(describeError(operation, id, e));
    },
    warn(message) {
      // Dynamic providers have no engine logging; stdout of the provider process reaches the CLI (Pulumi ≥ 3.146).
      console.log(`warning: ${message}`);
    },
    checked<T>(result: { readonly inputs: Record<string, unknown>; readonly failures: readonly CheckFailure[] }): T {
      const first = result.failures[0];
      if (first) throw options.error(`Invalid input ${first.property}: ${first.reason}`);
      return result.inputs as T;
    },
    initFailed(id, properties, step, e) {
      const reason = describeError(step, id, e);
      const err = options.error(
        `${Noun} ${id} was created, but ${step} failed afterwards: ${reason}. The job is kept in the stack; run \`pulumi up\` again to finish.`,
      ) as InitFailedError;
      err.id = id;
      err.properties = properties;
      err.reasons = [reason];
      return err;
    },
  };
}
