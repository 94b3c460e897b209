/**
 * Timeouts and Cancel of the plugin's operations. Each Create/Read/Update/Delete gets one AbortSignal: the engine's
 * `timeout` for that operation (`customTimeouts`, in seconds; 0 = none) and the plugin-wide Cancel, combined with
 * `AbortSignal.any`. The runtime runs under it (../core/operation-signal): every SDK call carries it, so a stop cuts
 * the request in flight and sends nothing after it. A timeout stops the SDK call itself; it never abandons one
 * that could still create a job after the engine gave up.
 *
 * When the signal fires, the runtime gets a short grace to settle: its calls now fail at once, so it ends quickly,
 * and what it says then is kept (an init failure with the JobId of a job that does exist, or the record of a create
 * whose CreateJob may have made one). The answer names the resource, the operation, the timeout as the user wrote it
 * (Go duration form: `2s`, `1m30s`), what happened and what to do.
 */

/** The operations the engine gives a timeout. */
export type TimedOperation = "create" | "read" | "update" | "delete";

/** How long a stopped runtime may take to settle before the plugin answers without it. */
export const SETTLE_GRACE_MS = 3_000;

/** What stopped an operation. */
type Stop = { readonly kind: "timeout"; readonly seconds: number } | { readonly kind: "cancel" };

/** The reason a timeout signal carries. */
class OperationTimeout extends Error {
  override readonly name = "TimeoutError";
}

/** The reason the Cancel signal carries. */
class OperationCancelled extends Error {
  override readonly name = "CancelledError";
}

/** `seconds` in Go's duration form, as `customTimeouts` takes it (`2s`, `1m30s`, `1h0m0s`, `500ms`). */
export function goDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** What to do after a stopped operation, per operation. */
const NEXT_STEP: Readonly<Record<TimedOperation, string>> = {
  create: "Check the service (the provider's endpoint), or raise customTimeouts.create, then run `pulumi up` again.",
  update:
    "The stack keeps the previous inputs, so the next preview shows the edit again and `pulumi up` applies it (the update calls are idempotent on the same job). Check the service, or raise customTimeouts.update.",
  delete: "The job stays in the stack. Check the service, or raise customTimeouts.delete, then run the command again.",
  read: "The stack keeps the state it had. Check the service, or raise customTimeouts.read, then run the command again.",
};

/** An error with the properties the server turns into ErrorResourceInitFailed (see ./server `statusOf`). */
interface InitFailureFields {
  id?: unknown;
  properties?: unknown;
}

/** The error a stopped operation answers with: the whole story in its message, the init failure kept. */
export class OperationStoppedError extends Error {
  override readonly name = "OperationStoppedError";
  declare id?: string;
  declare properties?: Record<string, unknown>;
  declare reasons?: string[];

  constructor(message: string, inner: unknown) {
    super(message);
    const f = (typeof inner === "object" && inner !== null ? inner : {}) as InitFailureFields;
    if (typeof f.id === "string" && f.id !== "") {
      this.id = f.id;
      if (typeof f.properties === "object" && f.properties !== null) this.properties = f.properties as Record<string, unknown>;
      // The engine shows an init failure by its reasons, not its message: the whole story goes there.
      this.reasons = [message];
    }
  }
}

/** The resource's type name and name, from its URN (`…::importexport:index:ImportExportJob::photos`). */
function resourceOf(urn: string): string {
  const parts = urn.split("::");
  const name = parts[parts.length - 1] ?? urn;
  const type = (parts[parts.length - 2] ?? "").split("$").pop() ?? "";
  return `${type.split(":").pop() || "resource"} ${name}`;
}

/** The plugin's operation stops: one Cancel for the process, one deadline per operation. */
export class OperationStops {
  private readonly cancelController = new AbortController();

  /** The engine's Cancel: stops every operation in flight, and every later one before it starts. */
  cancel(): void {
    if (!this.cancelController.signal.aborted) this.cancelController.abort(new OperationCancelled("the engine cancelled the operation (Cancel)"));
  }

  /** Whether Cancel has been called. */
  get cancelled(): boolean {
    return this.cancelController.signal.aborted;
  }

  /**
   * Runs `work` under the operation's signal (`timeoutSeconds` 0: no deadline). Resolves with its result, or
   * rejects with its error, or, once stopped, with an {@link OperationStoppedError} saying so.
   */
  async run<T>(
    op: { readonly operation: TimedOperation; readonly urn: string; readonly timeoutSeconds: number },
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timeout = new AbortController();
    const seconds = op.timeoutSeconds;
    const timer = seconds > 0 ? setTimeout(() => timeout.abort(new OperationTimeout(`${op.operation} timed out after ${goDuration(seconds)}`)), seconds * 1000) : undefined;
    const signal = AbortSignal.any([timeout.signal, this.cancelController.signal]);
    const stopOf = (): Stop => (timeout.signal.aborted ? { kind: "timeout", seconds } : { kind: "cancel" });
    const running = work(signal);
    // Observed now, so a rejection after the grace is not an unhandled one.
    const settled = running.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    try {
      const stopped = new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      const first = await Promise.race([settled, stopped.then(() => undefined)]);
      const outcome = first ?? (await Promise.race([settled, new Promise<undefined>((r) => setTimeout(() => r(undefined), SETTLE_GRACE_MS).unref())]));
      if (outcome?.ok) return outcome.value; // it finished (an answer that was already in)
      if (!signal.aborted) throw outcome?.error;
      throw this.stoppedError(op, stopOf(), outcome === undefined ? undefined : outcome.error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `work` under the Cancel signal alone (Check, Diff: the engine gives them no timeout). */
  cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return work(this.cancelController.signal);
  }

  private stoppedError(op: { readonly operation: TimedOperation; readonly urn: string }, stop: Stop, inner: unknown): OperationStoppedError {
    const what = `${resourceOf(op.urn)}: ${op.operation} ${stop.kind === "timeout" ? `timed out after ${goDuration(stop.seconds)} (customTimeouts)` : "was cancelled by the engine (Cancel)"}, and the service calls in flight were stopped.`;
    const detail = inner instanceof Error ? inner.message : inner === undefined ? "It did not settle in time after the stop." : String(inner);
    return new OperationStoppedError(`${what} ${detail}${/[.!?]$/.test(detail) ? "" : "."} ${NEXT_STEP[op.operation]}`, inner);
  }
}
