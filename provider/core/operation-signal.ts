/**
 * The AbortSignal of the provider operation in progress: how a timeout (`customTimeouts`) or the engine's `Cancel`
 * reaches the SDK calls deep inside a runtime, without a signal parameter on every function between the plugin's
 * handler and the client (the runtimes, the policy mechanism and the adapters are shared with the dynamic face,
 * which has neither timeouts nor Cancel and never sets one).
 *
 * The plugin runs each operation inside {@link withOperationSignal}; the provider's clients (../importexport/client,
 * ../iot/client) pass it ({@link callOptions}) as each call's `abortSignal`, and the runtimes' waits end on it. Once
 * it has aborted, every further call fails at once without sending anything, so no loop of a runtime goes on.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { delay, untilAborted } from "../../sdk/abort";

const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the signal of every SDK call and wait it makes. */
export function withOperationSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return current.run(signal, work);
}

/** Whether the operation in progress has been stopped (timed out or cancelled). */
export function operationAborted(): boolean {
  return current.getStore()?.aborted === true;
}

/** The call options that carry the operation's signal (`{}` outside the native plugin). */
export function callOptions(): { abortSignal?: AbortSignal } {
  const signal = current.getStore();
  return signal !== undefined ? { abortSignal: signal } : {};
}

/**
 * `promise`, or a rejection with the signal's reason as soon as the operation is stopped: for a wait shared with
 * later operations (a cached caller-account lookup), which a stop must not cut but need not wait for either.
 */
export function orStopped<T>(promise: Promise<T>): Promise<T> {
  return untilAborted(promise, current.getStore());
}

/** Waits `ms`, ending early (rejecting with the signal's reason) when the operation is stopped. */
export function wait(ms: number): Promise<void> {
  return delay(ms, current.getStore());
}

/** Whether `e` is an aborted call (this package's ImportExportAbortError or an AWS SDK v3 client's AbortError). */
export function isAbortError(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError";
}
