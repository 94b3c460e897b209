/**
 * Waiting with an AbortSignal, for the waits the waiter cannot cancel itself: an injected sleep, a credential fetch
 * shared by every call. The wait goes on; nothing waits for it once the signal aborts.
 */
import { setTimeout as timer } from "node:timers/promises";

/** Waits `ms`; with `signal`, the timer is cleared and the wait rejects with `signal.reason` the moment it aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return timer(ms);
  return timer(ms, undefined, { signal }).catch(() => Promise.reject(signal.reason));
}

/** `promise`, or a rejection with `signal.reason` as soon as `signal` aborts (whichever comes first). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
